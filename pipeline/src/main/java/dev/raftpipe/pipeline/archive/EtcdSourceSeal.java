package dev.raftpipe.pipeline.archive;

import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.export.ExportJob;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
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
        ExportJob.Settings read = new ExportJob.Settings(Optional.empty(), Optional.empty(),
                skipHashCheck ? SnapshotTrailer.Check.SKIP : SnapshotTrailer.Check.REQUIRED, false);
        return ScratchBackend.removedAfter(scratch, ExportJob.stateInto(snapshot, ExportJob.SourceKind.ETCD_DB, read, out,
                        BackendRestoreSink.to(scratch, RestoreOptions.defaults()), progress, system)
                .thenCompose(restored -> safely(() -> ArchiveJobs.seal(scratch, ETCD_SNAPSHOT, out, key, selfTest,
                        progress, system))));
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
