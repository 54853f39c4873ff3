package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalSegment;
import dev.raftpipe.codecs.wal.WalWriter;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.WalRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WAL archives written file by file and read back: whole, checked, and only with their key when encrypted. */
class WalArchiveTest {
    private static final ArchiveLimits LIMITS = new ArchiveLimits(1L << 30, 1000);

    @TempDir
    static Path fixtures;
    static List<WalSegment> segments;

    @TempDir
    Path tmp;

    /** The single fixture's WAL in segments of 16 kB, as a WAL archive's are: no preallocated zeros. */
    @BeforeAll
    static void segments() throws IOException {
        Path single = EtcdFixtures.extract("single", fixtures);
        Path wal = fixtures.resolve("wal");
        try (WalWriter w = WalWriter.create(wal, new WalWriter.Options(16 * 1024, 1 << 16, false, false,
                Optional.empty()))) {
            for (WalRecord r : WalRecords.readAll(EtcdFixtures.walDir(single, "n1"))) {
                w.write(r);
            }
            w.commit();
        }
        segments = WalSegment.list(wal);
        assertTrue(segments.size() >= 4, "segments: " + segments);
    }

    @Test
    void fileByFileTheReaderGetsBackEveryByteAndTheFacts() throws IOException {
        for (Optional<Sealer> sealer : List.of(Optional.<Sealer>empty(), Optional.of(Sealers.hmacSha256(key(1))),
                Optional.of(Sealers.aes256Gcm(key(1))))) {
            Path archive = tmp.resolve(sealer.map(Sealer::kind).orElse("none") + ".walsnap");
            WalArchiveMeta written = write(archive, sealer);
            assertEquals(417, written.lastIndex());
            assertEquals(417, written.entries());
            Path member = tmp.resolve(sealer.map(Sealer::kind).orElse("none") + "-member");
            WalArchiveMeta read = WalArchiveReader.extract(archive, member, LIMITS, sealer);
            assertEquals(written.facts(), read.facts());
            for (WalSegment s : segments) {
                assertArrayEquals(Files.readAllBytes(s.path()), Files.readAllBytes(member.resolve("wal")
                        .resolve(s.name())), s.name());
            }
            Path scratch = Files.createDirectories(tmp.resolve(sealer.map(Sealer::kind).orElse("none") + "-check"));
            WalArchiveReader.Verified checked = WalArchiveReader.verify(archive, scratch, LIMITS, sealer);
            assertEquals(Digests.checksum(Digests.sha256().digest(Files.readAllBytes(archive))),
                    checked.checksum());
            try (var left = Files.list(scratch)) {
                assertEquals(0, left.count(), "verify keeps nothing");
            }
        }
    }

    @Test
    void anEncryptedArchiveOpensWithItsOwnKeyOnly() throws IOException {
        Path archive = tmp.resolve("sealed.walsnap");
        write(archive, Optional.of(Sealers.aes256Gcm(key(1))));
        Path scratch = Files.createDirectories(tmp.resolve("check"));
        assertThrows(ArchiveVerificationException.class,
                () -> WalArchiveReader.verify(archive, scratch, LIMITS, Optional.of(Sealers.aes256Gcm(key(2)))));
        assertThrows(ArchiveVerificationException.class,
                () -> WalArchiveReader.verify(archive, scratch, LIMITS, Optional.empty()));
    }

    @Test
    void filesGoInArchiveOrderOnly() throws IOException {
        try (OutputStream out = Files.newOutputStream(tmp.resolve("order.walsnap"));
             WalArchiveWriter w = WalArchiveWriter.start(out, "test", 0, Optional.empty(), 1 << 16, 1)) {
            w.add("member/wal/" + segments.get(1).name(), segments.get(1).path());
            assertThrows(IllegalArgumentException.class,
                    () -> w.add("member/wal/" + segments.get(0).name(), segments.get(0).path()));
            assertThrows(IllegalArgumentException.class, () -> w.add(WalArchiveNames.DB, segments.get(0).path()));
            assertThrows(IllegalArgumentException.class, () -> w.add("member/other", segments.get(0).path()));
        }
    }

    @Test
    void segmentsReadOneByOneMustFollowEachOther() throws IOException {
        WalContent.Reading skipping = new WalContent.Reading();
        skipping.add(segments.get(0));
        assertThrows(ArchiveVerificationException.class, () -> skipping.add(segments.get(2)));

        // renamed to follow, its CRC still does not: the chain is checked, not only the names
        Path renamed = tmp.resolve(WalSegment.fileName(1, segments.get(2).index()));
        Files.copy(segments.get(2).path(), renamed);
        WalContent.Reading unchained = new WalContent.Reading();
        unchained.add(segments.get(0));
        assertThrows(dev.raftpipe.codecs.VerificationException.class,
                () -> unchained.add(WalSegment.parse(renamed).orElseThrow()));

        assertEquals(WalContent.read(segments), WalContent.read(segments), "read whole, the same each time");
    }

    private static WalArchiveMeta write(Path archive, Optional<Sealer> sealer) throws IOException {
        WalContent.Reading reading = new WalContent.Reading();
        try (OutputStream out = Files.newOutputStream(archive);
             WalArchiveWriter w = WalArchiveWriter.start(out, "test", 1_700_000_000_000L, sealer, 4096, 1)) {
            for (WalSegment s : segments) {
                reading.add(s);
                w.add("member/wal/" + s.name(), s.path());
            }
            return w.finish(WalFacts.of(reading.finish(), OptionalLong.empty()));
        }
    }

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        k[0] = (byte) seed;
        return k;
    }
}
