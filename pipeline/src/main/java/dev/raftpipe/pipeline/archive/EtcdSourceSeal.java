package dev.raftpipe.pipeline.archive;

import dev.raftpipe.pipeline.job.SealJob;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.location.LocalSnapshot;
import dev.raftpipe.pipeline.location.SnapshotLocation;
import dev.raftpipe.pipeline.StateStreams;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * {@code seal --data-dir}, {@code --etcd-snapshot} and {@code --endpoint}: the state goes first into a scratch
 * backend beside the output, as etcd would start from it (a data dir: db, .snap membership and WAL tail; a
 * snapshot file or a member's streamed snapshot: the db alone, its trailer checked), then through the
 * {@code seal} pipeline. The scratch backend is removed
 * whatever happens; meta.json records which kind of source the state came from.
 */
public final class EtcdSourceSeal {
    public static final String DATA_DIR = "data-dir";

    private EtcdSourceSeal() {
    }

    public static CompletionStage<SealJob.Report> dataDir(Path dataDir, SealTarget out, ArchiveKey key,
                                                          boolean selfTest, boolean progress, ActorSystem system)
            throws IOException {
        Path scratch = ScratchBackend.beside(out.out());
        return ScratchBackend.removedAfter(scratch, Streams.starting(() -> DataDirReplay.run(dataDir, scratch, progress, system))
                .thenCompose(replayed -> Streams.starting(() -> ArchiveJobs.seal(scratch, DATA_DIR, out, key, selfTest, progress,
                        system))));
    }

    /**
     * {@code seal --etcd-snapshot} and {@code seal --endpoint}: the snapshot (a member's spooled beside {@code out})
     * restored into a scratch backend, then sealed; meta.json records the kind of source.
     */
    public static CompletionStage<SealJob.Report> snapshot(SnapshotLocation source, SealTarget out, ArchiveKey key,
                                                           boolean selfTest, boolean progress, ActorSystem system)
            throws IOException {
        return LocalSnapshot.with(source, out.out(), progress, system, (snapshot, check) -> snapshotFile(snapshot, check,
                source.kind(), out, key, selfTest, progress, system));
    }

    private static CompletionStage<SealJob.Report> snapshotFile(Path snapshot, SnapshotTrailer.Check check,
                                                                    String sourceKind, SealTarget out, ArchiveKey key,
                                                                    boolean selfTest, boolean progress,
                                                                    ActorSystem system) throws IOException {
        Path scratch = ScratchBackend.beside(out.out());
        return ScratchBackend.removedAfter(scratch, StateStreams.fromEtcdDb(snapshot, check,
                        BackendRestoreSink.to(scratch, RestoreOptions.defaults()), progress, system)
                .thenCompose(restored -> Streams.starting(() -> ArchiveJobs.seal(scratch, sourceKind, out, key, selfTest,
                        progress, system))));
    }
}
