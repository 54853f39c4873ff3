package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.state.Revision;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.codecs.redact.ValueMask;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The single fixture's full history (etcd 3.4, tombstones and compactions in it) copied with rules and membership. */
class HistoryCopyTest {
    private static final byte[] KEY = "a mask key of at least 16 bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRETS = bytes("/registry/secrets/");

    @TempDir
    static Path fixtures;
    static Path db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() {
        db = EtcdFixtures.extract("single", fixtures).resolve("n1.etcd/member/snap/db");
    }

    @Test
    void maskedValuesInEveryRevisionAndDroppedKeysGoneTheRestAsStored() throws Exception {
        List<KeyRevision> source = history(db);
        byte[] dropped = bytes("/registry/pods/");
        assertFalse(startsWith(source.get(source.size() - 1).kv().key(), dropped), "no placeholder here: see below");
        Path out = tmp.resolve("redacted.db");
        HistoryEdit edit = new HistoryEdit(new RedactionPolicy(List.of(dropped), List.of(SECRETS), KEY, true),
                Optional.empty(), false);
        HistoryEdit.Summary summary = copy(out, edit);

        List<KeyRevision> expected = new ArrayList<>();
        ValueMask mask = new ValueMask(KEY);
        long masked = 0;
        for (KeyRevision r : source) {
            if (startsWith(r.kv().key(), dropped)) {
                continue;
            }
            if (startsWith(r.kv().key(), SECRETS) && !r.tombstone()) {
                StateRecord.KeyValue kv = r.kv();
                r = new KeyRevision(r.revision(), false, new StateRecord.KeyValue(kv.key(), mask.mask(kv.value()),
                        kv.createRevision(), kv.modRevision(), kv.version(), kv.lease()));
                masked++;
            }
            expected.add(r);
        }
        assertTrue(masked > 0 && expected.size() < source.size(), "the rules reach some revisions");
        assertEquals(rows(expected), rows(history(out)));
        assertEquals(new HistoryEdit.Summary(masked, source.size() - expected.size(), 0), summary);
        try (EtcdDb a = EtcdDb.open(db, SnapshotTrailer.Check.AUTO); EtcdDb b = EtcdDb.open(out, SnapshotTrailer.Check.AUTO)) {
            assertEquals(a.meta(), b.meta(), "consistent_index, compaction marks and revision stay");
            assertEquals(a.members(), b.members());
        }
    }

    @Test
    void droppingTheNewestRevisionsKeyLeavesAPlaceholderAtItsRevision() throws Exception {
        List<KeyRevision> source = history(db);
        KeyRevision newest = source.get(source.size() - 1);
        long revision;
        try (EtcdDb a = EtcdDb.open(db, SnapshotTrailer.Check.AUTO)) {
            revision = a.meta().revision();
        }
        assertEquals(revision, newest.revision().main(), "the fixture's newest revision is above its compaction");
        Path out = tmp.resolve("dropped.db");
        HistoryEdit.Summary summary = copy(out, new HistoryEdit(new RedactionPolicy(List.of(newest.kv().key()), List.of(),
                null, true), Optional.empty(), false));
        assertEquals(revision, summary.placeholder());
        List<KeyRevision> copied = history(out);
        KeyRevision placeholder = copied.get(copied.size() - 1);
        assertEquals(new Revision(revision, 0), placeholder.revision());
        assertEquals(0, placeholder.kv().key().length);
        assertTrue(copied.stream().noneMatch(r -> Arrays.equals(r.kv().key(), newest.kv().key())));
        try (EtcdDb b = EtcdDb.open(out, SnapshotTrailer.Check.AUTO)) {
            assertEquals(revision, b.meta().revision(), "etcd starts at the same revision");
        }
    }

    @Test
    void membershipIsReplacedByTheBackupsOneMemberAndAuthCanBeLeftOut() throws Exception {
        Path out = tmp.resolve("member.db");
        StateRecord.Member member = HistoryEdit.backupMember(0x1234abcdL);
        copy(out, new HistoryEdit(RedactionPolicy.none(), Optional.of(member), true));
        try (EtcdDb a = EtcdDb.open(db, SnapshotTrailer.Check.AUTO); EtcdDb b = EtcdDb.open(out, SnapshotTrailer.Check.AUTO)) {
            assertFalse(a.members().isEmpty());
            assertEquals(List.of(member), b.members());
            assertEquals(List.of(), b.removedMembers());
            assertTrue(b.bucketNames().stream().noneMatch(HistoryEdit.AUTH_BUCKETS::contains), b.bucketNames().toString());
            assertEquals(rows(history(db)), rows(history(out)), "no rule: every revision as stored");
        }
    }

    private static HistoryEdit.Summary copy(Path out, HistoryEdit edit) throws Exception {
        try (EtcdDb source = EtcdDb.open(db, SnapshotTrailer.Check.AUTO)) {
            HistoryCopy copy = new HistoryCopy(source, edit);
            EtcdDbFile.publish(out, copy, false);
            return copy.summary();
        }
    }

    private static List<KeyRevision> history(Path file) throws Exception {
        List<KeyRevision> out = new ArrayList<>();
        try (EtcdDb d = EtcdDb.open(file, SnapshotTrailer.Check.AUTO)) {
            d.history().forEach(out::add);
        }
        return out;
    }

    /** Records hold arrays: compare them as text. */
    private static List<String> rows(List<KeyRevision> history) {
        return history.stream().map(r -> r.revision() + " " + r.tombstone() + " " + new String(r.kv().key(),
                StandardCharsets.ISO_8859_1) + "=" + new String(r.kv().value(), StandardCharsets.ISO_8859_1) + " "
                + r.kv().createRevision() + "/" + r.kv().modRevision() + "/" + r.kv().version() + "/" + r.kv().lease())
                .toList();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
