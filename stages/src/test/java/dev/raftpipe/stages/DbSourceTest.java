package dev.raftpipe.stages;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.bolt.BoltCorruptedException;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.TruthFile;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.StreamTestKit;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbSourceTest extends StreamTestSupport {
    @EtcdFixture("single")
    static Path single;
    static Path db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() {
        db = single.resolve("n1.etcd/member/snap/db");
    }

    static DbSourceSettings settings() {
        return DbSourceSettings.create(system.settings().config());
    }

    @Test
    void theStateIsMetaMembersLeasesThenTheServedKeysInKeyOrder() throws Exception {
        Pair<CompletionStage<DbSummary>, CompletionStage<List<StateRecord>>> run =
                DbSource.state(db, settings()).toMat(Sink.seq(), Keep.both()).run(system);
        List<StateRecord> records = await(run.second());
        StateRecord.Meta meta = assertInstanceOf(StateRecord.Meta.class, records.get(0));
        assertInstanceOf(StateRecord.Member.class, records.get(1));
        List<String> rows = records.stream().filter(r -> r instanceof StateRecord.KeyValue)
                .map(r -> (StateRecord.KeyValue) r)
                .map(kv -> TruthFile.row(kv.key(), kv.value(), kv.createRevision(), kv.modRevision(), kv.version(), kv.lease()))
                .sorted().toList();
        TruthFile truth = TruthFile.read(single.resolve("truth.json"));
        assertEquals(truth.rows(), rows);
        assertEquals(truth.revision(), meta.revision());
        DbSummary summary = await(run.first());
        assertEquals(records.size(), summary.records());
        assertEquals(SnapshotTrailer.Result.NONE, summary.trailer());
        assertEquals(meta.consistentIndex(), summary.meta().consistentIndex());
        assertTrue(summary.storedRevisions() > rows.size());
    }

    @Test
    void historyGivesEveryStoredRevisionAndStopsWhenCancelled() throws Exception {
        Pair<CompletionStage<DbSummary>, CompletionStage<List<KeyRevision>>> all =
                DbSource.history(db, settings()).toMat(Sink.seq(), Keep.both()).run(system);
        long stored = await(all.second()).size();
        assertEquals(stored, await(all.first()).records());

        Materializer mat = Materializer.createMaterializer(system);
        Pair<CompletionStage<DbSummary>, TestSubscriber.Probe<KeyRevision>> run = DbSource.history(db, settings())
                .toMat(TestSink.create(system), Keep.both()).run(mat);
        run.second().request(2);
        run.second().expectNextN(2);
        run.second().cancel();
        assertTrue(await(run.first()).records() < stored, "stopped early, having read ahead at most a buffer");
        StreamTestKit.assertAllStagesStopped(mat);
    }

    @Test
    void aDamagedDbFailsTheSummaryWithThePage() throws Exception {
        byte[] bytes = Files.readAllBytes(db);
        bytes[2 * 4096] = 77; // page 2's id
        Path damaged = tmp.resolve("db");
        Files.write(damaged, bytes);
        Pair<CompletionStage<DbSummary>, CompletionStage<List<StateRecord>>> run =
                DbSource.state(damaged, settings()).toMat(Sink.seq(), Keep.both()).run(system);
        assertInstanceOf(BoltCorruptedException.class, failureOf(run.first()));
        assertInstanceOf(BoltCorruptedException.class, failureOf(run.second()));
    }
}
