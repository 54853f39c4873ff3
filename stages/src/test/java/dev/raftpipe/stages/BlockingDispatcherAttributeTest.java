package dev.raftpipe.stages;

import com.typesafe.config.ConfigFactory;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage's blocking work runs on the dispatcher its attributes name, and then never on raftpipe's own. Every dispatcher
 * here records, from inside each task, the thread that ran it ({@link RecordingExecutor}).
 */
class BlockingDispatcherAttributeTest {
    private static final List<String> DISPATCHERS = List.of("io-wal-source", "io-replay-sink", "io-wal-sink",
            "io-state-source", "io-archive-sink", "io-archive-source", "io-restore-sink", "io-db-source", "io-db-sink");

    @TempDir
    Path tmp;

    @Test
    void everyBlockingStageRunsOnTheDispatcherItsAttributesName() throws Exception {
        String recording = " { type = Dispatcher, executor = \"" + RecordingExecutor.class.getName() + "\" }\n";
        StringBuilder conf = new StringBuilder(BlockingIo.DISPATCHER + recording);
        DISPATCHERS.forEach(d -> conf.append(d).append(recording));
        RecordingExecutor.clear();
        ActorSystem system = ActorSystem.create("attributed",
                ConfigFactory.parseString(conf.toString()).withFallback(ConfigFactory.load()));
        try {
            Path single = EtcdFixtures.extract("single", tmp);
            Path wal = EtcdFixtures.walDir(single, "n1");
            Path db = single.resolve("n1.etcd/member/snap/db");
            Path backend = tmp.resolve("b.db");
            var replayAndCopy = WalSource.fromDirectory(wal, WalSourceSettings.create())
                    .withAttributes(BlockingIo.dispatcher("io-wal-source"))
                    .via(RaftLog.resolve())
                    .alsoToMat(WalSink.toDirectory(tmp.resolve("copy/member/wal"), WalSinkSettings.create())
                            .withAttributes(BlockingIo.dispatcher("io-wal-sink")), Keep.right())
                    .toMat(BackendReplaySink.to(backend, BackendReplaySettings.create())
                            .withAttributes(BlockingIo.dispatcher("io-replay-sink")), Keep.both())
                    .run(system);
            await(replayAndCopy.first());
            await(replayAndCopy.second());
            Path archive = tmp.resolve("b.snap");
            await(StateSource.fromBackend(backend).withAttributes(BlockingIo.dispatcher("io-state-source"))
                    .runWith(SnapshotArchive.sink(archive, ArchiveSettings.create())
                            .withAttributes(BlockingIo.dispatcher("io-archive-sink")), system));
            await(SnapshotArchive.source(archive, ArchiveSettings.create())
                    .withAttributes(BlockingIo.dispatcher("io-archive-source"))
                    .runWith(BackendRestoreSink.to(tmp.resolve("r.db"), false)
                            .withAttributes(BlockingIo.dispatcher("io-restore-sink")), system));
            await(DbSource.state(db, DbSourceSettings.create(system))
                    .withAttributes(BlockingIo.dispatcher("io-db-source"))
                    .runWith(DbSink.toFile(tmp.resolve("out.db"), DbSinkSettings.create(system))
                            .withAttributes(BlockingIo.dispatcher("io-db-sink")), system));

            for (String d : DISPATCHERS) {
                Set<String> threads = RecordingExecutor.threadsOf(d);
                assertFalse(threads.isEmpty(), d + " ran nothing");
                assertTrue(threads.stream().allMatch(n -> n.startsWith("attributed-" + d + "-")), d + ": " + threads);
            }
            assertEquals(Set.of(), RecordingExecutor.threadsOf(BlockingIo.DISPATCHER), "raftpipe's own dispatcher");
        } finally {
            TestKit.shutdownActorSystem(system);
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
