package dev.raftpipe.stages;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.IndexGuardException;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.TruthFile;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendReplaySinkTest extends StreamTestSupport {
    @EtcdFixture("single")
    static Path single;
    @EtcdFixture("partition")
    static Path partition;

    @TempDir
    Path tmp;

    static ReplaySummary replay(Path walDir, Path backend, BackendReplaySettings settings) throws Exception {
        return await(WalSource.fromDirectory(walDir, WalSourceSettings.create())
                .via(RaftLog.resolve())
                .runWith(BackendReplaySink.to(backend, settings), system));
    }

    static List<String> rows(Path backend) {
        List<String> rows = new ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            s.forEachKeyValue(kv -> rows.add(TruthFile.row(kv.key(), kv.value(), kv.createRevision(),
                    kv.modRevision(), kv.version(), kv.lease())));
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void replayingTheSingleFixtureGivesWhatEtcdServed() throws Exception {
        Path db = tmp.resolve("single.db");
        ReplaySummary s = replay(EtcdFixtures.walDir(single, "n1"), db, BackendReplaySettings.create());
        TruthFile truth = TruthFile.read(single.resolve("truth.json"));
        assertEquals(truth.rows(), rows(db));
        assertEquals(truth.revision(), s.meta().revision());
        assertEquals(417, s.applied());
        assertEquals(1, s.firstApplied());
        assertEquals(417, s.lastApplied());
        assertEquals(417, s.meta().consistentIndex());
        assertEquals(2, s.meta().term());
        assertEquals(1, s.meta().confState().voters().size());
        try (BackendSnapshot snap = Backend.snapshot(db)) {
            assertEquals(truth.revision(), snap.meta().revision());
            assertEquals("n1", snap.members().get(0).name());
            assertFalse(snap.members().get(0).clientUrls().isEmpty(), "member attributes were applied");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"n1", "n2", "n3"})
    void everyPartitionMemberReplaysToWhatItServed(String member) throws Exception {
        Path db = tmp.resolve(member + ".db");
        ReplaySummary s = replay(EtcdFixtures.walDir(partition, member), db, BackendReplaySettings.create());
        TruthFile truth = TruthFile.read(partition.resolve("truth-" + member + ".json"));
        assertEquals(truth.rows(), rows(db), "superseded entries must leave no trace");
        assertEquals(truth.revision(), s.meta().revision());
    }

    @Test
    void smallBatchesGiveTheSameBackend() throws Exception {
        Path db = tmp.resolve("small.db");
        ReplaySummary s = replay(EtcdFixtures.walDir(single, "n1"), db,
                BackendReplaySettings.create().withBatchEntries(7));
        assertTrue(s.batches() >= 417 / 7, "batches: " + s.batches());
        assertEquals(TruthFile.read(single.resolve("truth.json")).rows(), rows(db));
    }

    @Test
    void replayingTwiceChangesNothingTheSecondTime() throws Exception {
        Path db = tmp.resolve("twice.db");
        Path wal = EtcdFixtures.walDir(single, "n1");
        replay(wal, db, BackendReplaySettings.create());
        byte[] before = Files.readAllBytes(db);
        ReplaySummary again = replay(wal, db, BackendReplaySettings.create());
        assertEquals(0, again.applied());
        assertEquals(417, again.skipped());
        assertEquals(0, again.firstApplied());
        assertEquals(417, again.meta().consistentIndex());
        assertEquals(TruthFile.read(single.resolve("truth.json")).rows(), rows(db));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), "the file is untouched");
    }

    @Test
    void entriesAboveTheCommitIndexAreLeftOut() throws Exception {
        Path db = tmp.resolve("uncommitted.db");
        List<WalRecord> records = new ArrayList<>();
        records.add(new WalRecord.StateRecord(new HardState(1, 0, 2)));
        for (long i = 1; i <= 4; i++) {
            records.add(new WalRecord.EntryRecord(Entry.noop(1, i)));
        }
        ReplaySummary s = await(Source.from(records).runWith(
                BackendReplaySink.to(db, BackendReplaySettings.create()), system));
        assertEquals(2, s.applied());
        assertEquals(2, s.uncommitted());
        assertEquals(2, s.lastCommitted());
        assertEquals(2, s.meta().consistentIndex());
    }

    @Test
    void aWalThatStartsAfterTheBackendFailsAndAppliesNothing() throws Exception {
        // etcd purged the segments before the one that now comes first
        Path wal = tmp.resolve("purged/member/wal");
        await(WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                .runWith(WalSink.toDirectory(wal, WalSinkSettings.create().withSegmentSize(16 * 1024)), system));
        try (Stream<Path> segments = Files.list(wal)) {
            Files.delete(segments.sorted().findFirst().orElseThrow());
        }
        Path db = tmp.resolve("gap.db");
        Throwable failure = failureOf(WalSource.fromDirectory(wal, WalSourceSettings.create())
                .via(RaftLog.resolve())
                .runWith(BackendReplaySink.to(db, BackendReplaySettings.create()), system));
        IndexGuardException gap = assertInstanceOf(IndexGuardException.class, failure);
        assertEquals(0, gap.consistentIndex());
        assertTrue(gap.entryIndex() > 1);
        assertFalse(Files.exists(db), "a failed replay leaves no new backend behind");

        // into an existing backend, the failure leaves it as it was
        await(Source.<WalRecord>empty().runWith(BackendReplaySink.to(db, BackendReplaySettings.create()), system));
        byte[] before = Files.readAllBytes(db);
        failure = failureOf(WalSource.fromDirectory(wal, WalSourceSettings.create())
                .via(RaftLog.resolve())
                .runWith(BackendReplaySink.to(db, BackendReplaySettings.create()), system));
        assertInstanceOf(IndexGuardException.class, failure);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)));
    }

    @Test
    void anEmptyStreamStillCreatesTheBackend() throws Exception {
        Path db = tmp.resolve("empty.db");
        ReplaySummary s = await(Source.<WalRecord>empty().runWith(
                BackendReplaySink.to(db, BackendReplaySettings.create()), system));
        assertEquals(0, s.applied());
        assertEquals(1, s.meta().revision());
        assertTrue(Files.exists(db));
        assertEquals(List.of(), rows(db));
    }
}
