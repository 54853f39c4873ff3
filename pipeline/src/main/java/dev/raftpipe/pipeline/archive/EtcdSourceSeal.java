package dev.raftpipe.pipeline.archive;

import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.DbSource;
import dev.raftpipe.stages.DbSourceSettings;
import dev.raftpipe.stages.DbSummary;
import dev.raftpipe.stages.RestoreSummary;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * {@code seal --data-dir} and {@code seal --etcd-snapshot}: the state goes first into a scratch backend beside
 * the output, as etcd would start from it (a data dir: db, .snap membership and WAL tail; a snapshot file: the
 * db alone, its trailer checked), then through the {@code seal} pipeline. The scratch backend is removed
 * whatever happens; meta.json records which kind of source the state came from.
 */
public final class EtcdSourceSeal {
    public static final String DATA_DIR = "data-dir";
    public static final String ETCD_SNAPSHOT = "etcd-snapshot";

    private EtcdSourceSeal() {
    }

    public static CompletionStage<ArchiveJobs.Sealed> dataDir(Path dataDir, Path out, ArchiveKey key, boolean selfTest,
                                                              boolean progress, ActorSystem system) throws IOException {
        Path scratch = ScratchBackend.beside(out);
        return ScratchBackend.removedAfter(scratch, safely(() -> DataDirReplay.run(dataDir, scratch, progress, system))
                .thenCompose(replayed -> safely(() -> ArchiveJobs.seal(scratch, DATA_DIR, out, key, selfTest, progress,
                        system))));
    }

    public static CompletionStage<ArchiveJobs.Sealed> etcdSnapshot(Path snapshot, boolean skipHashCheck, Path out,
                                                                   ArchiveKey key, boolean selfTest, boolean progress,
                                                                   ActorSystem system) throws IOException {
        if (!Files.isRegularFile(snapshot)) {
            throw new NoSuchFileException(snapshot.toString(), null, "no etcd snapshot file here");
        }
        Path scratch = ScratchBackend.beside(out);
        DbSourceSettings settings = DbSourceSettings.create(system.settings().config())
                .withTrailerCheck(skipHashCheck ? SnapshotTrailer.Check.SKIP : SnapshotTrailer.Check.REQUIRED);
        Pair<CompletionStage<DbSummary>, CompletionStage<RestoreSummary>> m = DbSource.state(snapshot, settings)
                .via(progress ? Progress.of("reading " + snapshot, Payload.STATE_RECORDS, OptionalLong.empty(), System.err)
                        : Flow.create())
                .toMat(BackendRestoreSink.to(scratch, RestoreOptions.defaults()), Keep.both())
                .run(system);
        return ScratchBackend.removedAfter(scratch, Streams.sourceThenSink(m.first(), m.second()).thenCompose(read -> safely(
                () -> ArchiveJobs.seal(scratch, ETCD_SNAPSHOT, out, key, selfTest, progress, system))));
    }

    @FunctionalInterface
    private interface Step<T> {
        CompletionStage<T> start() throws IOException;
    }

    private static <T> CompletionStage<T> safely(Step<T> step) {
        try {
            return step.start();
        } catch (IOException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }
}
