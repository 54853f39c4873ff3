package dev.raftpipe.codecs.bolt;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.db.DbInspection;
import dev.raftpipe.codecs.db.DbInspector;
import dev.raftpipe.codecs.db.DbReadOptions;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader on the single fixture's real etcd 3.4 db, and on that db damaged: each kind of structural
 * damage is a {@link BoltCorruptedException} naming page and offset, and a seeded corpus of random damage
 * never gives anything but a clean read or a verification error (no other exception, no hang).
 */
class BoltFileTest {
    private static final int PAGE = 4096;

    @TempDir
    static Path dir;
    static Path fixture;
    static byte[] clean;
    static long cleanHash;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() throws IOException {
        fixture = EtcdFixtures.extract("single", dir);
        clean = Files.readAllBytes(fixture.resolve("n1.etcd/member/snap/db"));
        cleanHash = inspect(fixture.resolve("n1.etcd/member/snap/db")).statusHash();
    }

    static DbInspection inspect(Path db) throws IOException {
        return DbInspector.inspect(db, SnapshotTrailer.Check.AUTO, DbReadOptions.defaults());
    }

    Path damaged(Consumer<ByteBuffer> damage) throws IOException {
        byte[] copy = clean.clone();
        damage.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
        Path p = tmp.resolve("db-" + System.nanoTime());
        Files.write(p, copy);
        return p;
    }

    static int firstPage(int flags) {
        ByteBuffer b = ByteBuffer.wrap(clean).order(ByteOrder.LITTLE_ENDIAN);
        for (int id = 2; id < clean.length / PAGE; id++) {
            if (b.getShort(id * PAGE + 8) == flags) {
                return id;
            }
        }
        throw new AssertionError("the fixture has no page with flags " + flags);
    }

    BoltCorruptedException corrupt(Consumer<ByteBuffer> damage) throws IOException {
        Path p = damaged(damage);
        return assertThrows(BoltCorruptedException.class, () -> inspect(p));
    }

    @Test
    void aDamagedFirstMetaFallsBackToTheSecondAndSaysSo() throws IOException {
        Path p = damaged(b -> b.put(16 + 40, (byte) (b.get(16 + 40) ^ 1)));
        DbInspection i = inspect(p);
        assertEquals(1, i.boltMeta().page());
        assertTrue(i.metaFallback().orElseThrow().describe().contains("checksum mismatch"), i.metaFallback().orElseThrow().describe());
        assertEquals(cleanHash, i.statusHash());
    }

    @Test
    void bothMetasDamagedIsCorruptionAtPageZero() throws IOException {
        BoltCorruptedException e = corrupt(b -> {
            b.put(16 + 40, (byte) 1);
            b.put(PAGE + 16 + 40, (byte) 1);
        });
        assertEquals(0, e.pageId());
        assertTrue(e.getMessage().contains("both meta pages are invalid"), e.getMessage());
    }

    @Test
    void aPageWhoseHeaderNamesAnotherPage() throws IOException {
        int leaf = firstPage(0x02);
        BoltCorruptedException e = corrupt(b -> b.putLong(leaf * PAGE, 999));
        assertEquals(leaf, e.pageId());
        assertEquals((long) leaf * PAGE, e.offset());
        assertTrue(e.getMessage().contains("says page 999"), e.getMessage());
    }

    @Test
    void unknownPageFlags() throws IOException {
        int leaf = firstPage(0x02);
        BoltCorruptedException e = corrupt(b -> b.putShort(leaf * PAGE + 8, (short) 0x22));
        assertEquals(leaf, e.pageId());
        assertTrue(e.getMessage().contains("flags 0x22"), e.getMessage());
    }

    @Test
    void anElementPointingOutsideItsPage() throws IOException {
        int leaf = firstPage(0x02);
        BoltCorruptedException e = corrupt(b -> b.putInt(leaf * PAGE + 16 + 12, 1 << 20)); // vsize of element 0
        assertEquals(leaf, e.pageId());
        assertTrue(e.getMessage().contains("runs outside its page"), e.getMessage());
    }

    @Test
    void keysOutOfOrder() throws IOException {
        int leaf = firstPage(0x02);
        BoltCorruptedException e = corrupt(b -> {
            int element1 = leaf * PAGE + 16 + 16;
            int keyAt = element1 + b.getInt(element1 + 4);
            for (int i = 0; i < b.getInt(element1 + 8); i++) {
                b.put(keyAt + i, (byte) 0);
            }
        });
        assertEquals(leaf, e.pageId());
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    }

    @Test
    void aBranchThatPointsBackAtItselfIsCaughtNotFollowed() throws IOException {
        int branch = firstPage(0x01);
        BoltCorruptedException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> corrupt(b -> b.putLong(branch * PAGE + 16 + 8, branch)));
        assertTrue(e.getMessage().contains("reached twice"), e.getMessage());
    }

    @Test
    void aChildOutsideThePagesInUse() throws IOException {
        int branch = firstPage(0x01);
        BoltCorruptedException e = corrupt(b -> b.putLong(branch * PAGE + 16 + 8, 1_000_000));
        assertEquals(branch, e.pageId());
        assertTrue(e.getMessage().contains("outside the pages in use"), e.getMessage());
    }

    @Test
    void aTruncatedFile() throws IOException {
        Path p = tmp.resolve("truncated");
        Files.write(p, Arrays.copyOf(clean, clean.length / 2));
        BoltCorruptedException e = assertThrows(BoltCorruptedException.class, () -> inspect(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aSnapshotTrailerIsCheckedAndAWrongOneRefused() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(clean);
        Path good = tmp.resolve("good.snapshot");
        Files.write(good, concat(clean, sha));
        DbInspection i = inspect(good);
        assertEquals(SnapshotTrailer.Result.VERIFIED, i.trailer());
        assertEquals(cleanHash, i.statusHash());

        sha[0] ^= 1;
        Path bad = tmp.resolve("bad.snapshot");
        Files.write(bad, concat(clean, sha));
        VerificationException e = assertThrows(VerificationException.class, () -> inspect(bad));
        assertTrue(e.getMessage().contains("trailer mismatch"), e.getMessage());
        assertEquals(SnapshotTrailer.Result.SKIPPED,
                DbInspector.inspect(bad, SnapshotTrailer.Check.SKIP, DbReadOptions.defaults()).trailer());

        Path plain = tmp.resolve("plain.db");
        Files.write(plain, clean);
        VerificationException missing = assertThrows(VerificationException.class,
                () -> DbInspector.inspect(plain, SnapshotTrailer.Check.REQUIRED, DbReadOptions.defaults()));
        assertTrue(missing.getMessage().contains("--skip-hash-check"), missing.getMessage());
    }

    /** Random damage: header fields, element fields, any byte, truncations. Seeded, so a failure repeats. */
    @Test
    void aSeededCorpusOfDamagedDbsReadsCleanlyOrFailsVerification() throws IOException {
        Random random = new Random(16);
        int pages = clean.length / PAGE;
        int failures = 0;
        for (int c = 0; c < 400; c++) {
            byte[] copy = clean.clone();
            int kind = c % 5;
            int page = random.nextInt(pages);
            int at;
            switch (kind) {
                case 0 -> at = page * PAGE + random.nextInt(16); // page header
                case 1 -> at = page * PAGE + 16 + random.nextInt(16 * 8); // element headers
                case 2 -> at = random.nextInt(copy.length);
                case 3 -> at = random.nextInt(2 * PAGE); // metas
                default -> at = -1;
            }
            if (at >= 0) {
                copy[at] ^= (byte) (1 + random.nextInt(255));
            } else {
                copy = Arrays.copyOf(copy, random.nextInt(copy.length));
            }
            Path p = tmp.resolve("case-" + c);
            Files.write(p, copy);
            String where = "case " + c + " (kind " + kind + ", byte " + at + ")";
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> inspect(p), where);
            } catch (VerificationException expected) {
                failures++;
            }
            Files.delete(p);
        }
        assertTrue(failures > 100, failures + " of 400 damaged dbs failed verification");
    }

    @Test
    void aFileOfAnotherKindIsNamedAsWhatItLooksLikeNotAsADamagedDb() throws IOException {
        Path segment;
        try (var segments = Files.list(EtcdFixtures.walDir(fixture, "n1"))) {
            segment = segments.filter(f -> f.toString().endsWith(".wal")).findFirst().orElseThrow();
        }
        Path renamed = Files.copy(segment, tmp.resolve("segment")); // recognised by its first record, not its name
        for (Path wal : new Path[] {segment, renamed}) {
            NotABoltFileException e = assertThrows(NotABoltFileException.class, () -> inspect(wal));
            assertTrue(e.getMessage().startsWith(wal + ": not an etcd db (bbolt) file: it looks like a WAL segment"),
                    e.getMessage());
        }
        byte[] gzip = new byte[2 * PAGE];
        gzip[0] = 0x1f;
        gzip[1] = (byte) 0x8b;
        Path archive = Files.write(tmp.resolve("backup.snap"), gzip);
        assertTrue(assertThrows(NotABoltFileException.class, () -> inspect(archive)).getMessage()
                .contains("it is gzip data, as raftpipe's archives are"));
        // zeros where both metas were: a damaged db, not another kind of file
        Path zeroed = damaged(b -> Arrays.fill(b.array(), 0, 2 * PAGE, (byte) 0));
        assertThrows(BoltCorruptedException.class, () -> inspect(zeroed));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
