package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.state.Revision;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.TruthFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixtures' real etcd 3.4 dbs read through their buckets, against what etcd served and what etcdutl printed. */
class EtcdDbTest {
    @TempDir
    static Path fixtures;
    static Path single;
    static Path partition;

    @BeforeAll
    static void extract() {
        single = EtcdFixtures.extract("single", fixtures.resolve("s"));
        partition = EtcdFixtures.extract("partition", fixtures.resolve("p"));
    }

    static Path db(Path fixture, String member) {
        return fixture.resolve(member + ".etcd/member/snap/db");
    }

    static List<String> liveRows(Path db, DbReadOptions options) throws Exception {
        return liveRows(db, options, 0);
    }

    static List<String> liveRows(Path db, DbReadOptions options, int minRuns) throws Exception {
        List<String> rows = new ArrayList<>();
        try (EtcdDb etcd = EtcdDb.open(db, SnapshotTrailer.Check.AUTO); LiveState live = LiveState.of(etcd, options)) {
            assertTrue(live.spilledRuns() >= minRuns, live.spilledRuns() + " runs");
            Iterator<StateRecord.KeyValue> it = live.keys();
            while (it.hasNext()) {
                StateRecord.KeyValue kv = it.next();
                rows.add(TruthFile.row(kv.key(), kv.value(), kv.createRevision(), kv.modRevision(), kv.version(), kv.lease()));
            }
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void theLiveStateOfTheSingleFixtureIsWhatEtcdServed() throws Exception {
        TruthFile truth = TruthFile.read(single.resolve("truth.json"));
        assertEquals(truth.rows(), liveRows(db(single, "n1"), DbReadOptions.defaults()));
    }

    @Test
    void aSortThatSpillsGivesTheSameLiveState() throws Exception {
        TruthFile truth = TruthFile.read(single.resolve("truth.json"));
        Path spill = fixtures.resolve("spill");
        java.nio.file.Files.createDirectories(spill);
        DbReadOptions tiny = DbReadOptions.defaults().withSortMemoryBytes(64 << 10).withTempDir(spill);
        assertEquals(truth.rows(), liveRows(db(single, "n1"), tiny, 1));
        try (var left = java.nio.file.Files.list(spill)) {
            assertEquals(0, left.count(), "the sort's runs are removed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"n1", "n2", "n3"})
    void eachPartitionMembersDbHoldsWhatThatMemberServed(String member) throws Exception {
        TruthFile truth = TruthFile.read(partition.resolve("truth-" + member + ".json"));
        assertEquals(truth.rows(), liveRows(db(partition, member), DbReadOptions.defaults()));
    }

    @Test
    void inspectionMatchesEtcdutlSnapshotStatusAndTheServedRevision() throws Exception {
        DbInspection i = DbInspector.inspect(db(single, "n1"), SnapshotTrailer.Check.AUTO, DbReadOptions.defaults());
        // `etcdutl snapshot status -w json` (3.5.16) on this file: {"hash":3094891486,"revision":401,"totalKey":405,"totalSize":135168}
        assertEquals(3094891486L, i.statusHash());
        assertEquals(401, i.meta().statusRevision());
        assertEquals(405, i.totalKey());
        assertEquals(135168, i.usedSize());
        TruthFile truth = TruthFile.read(single.resolve("truth.json"));
        assertEquals(truth.revision(), i.meta().revision());
        assertEquals(truth.rows().size(), i.liveKeys());
        assertEquals(SnapshotTrailer.Result.NONE, i.trailer());
        assertEquals(i.buckets().get("key"), i.storedRevisions());
        assertTrue(i.meta().finishedCompactRevision() > 0, "the fixture compacts half way");
        assertEquals(1, i.members().size());
    }

    @Test
    void historyIsInRevisionOrderAndEndsAtTheStatusRevision() throws Exception {
        try (EtcdDb etcd = EtcdDb.open(db(single, "n1"), SnapshotTrailer.Check.AUTO)) {
            Revision previous = null;
            long n = 0;
            for (KeyRevision r : etcd.history()) {
                if (previous != null) {
                    assertTrue(previous.compareTo(r.revision()) < 0);
                }
                if (!r.tombstone()) {
                    assertEquals(r.revision().main(), r.kv().modRevision());
                }
                previous = r.revision();
                n++;
            }
            assertEquals(etcd.meta().statusRevision(), previous.main());
            assertTrue(n > 0);
        }
    }
}
