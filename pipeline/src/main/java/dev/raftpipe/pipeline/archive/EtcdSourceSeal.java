package dev.raftpipe.pipeline.archive;

import dev.raftpipe.pipeline.job.SealJob;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.endpoint.SnapshotSpool;
import dev.raftpipe.pipeline.StateStreams;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.EndpointSettings;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    public static final String ETCD_SNAPSHOT = "etcd-snapshot";
    public static final String ENDPOINT = "endpoint";

    private EtcdSourceSeal() {
    }

    public static CompletionStage<SealJob.Report> dataDir(Path dataDir, Path out, ArchiveKey key, boolean selfTest,
                                                              boolean progress, ActorSystem system) throws IOException {
        Path scratch = ScratchBackend.beside(out);
        return ScratchBackend.removedAfter(scratch, Streams.starting(() -> DataDirReplay.run(dataDir, scratch, progress, system))
                .thenCompose(replayed -> Streams.starting(() -> ArchiveJobs.seal(scratch, DATA_DIR, out, key, selfTest, progress,
                        system))));
    }

    public static CompletionStage<SealJob.Report> etcdSnapshot(Path snapshot, boolean skipHashCheck, Path out,
                                                                   ArchiveKey key, boolean selfTest, boolean progress,
                                                                   ActorSystem system) throws IOException {
        if (!Files.isRegularFile(snapshot)) {
            throw new NoSuchFileException(snapshot.toString(), null, "no etcd snapshot file here");
        }
        return snapshotFile(snapshot, skipHashCheck ? SnapshotTrailer.Check.SKIP : SnapshotTrailer.Check.REQUIRED,
                ETCD_SNAPSHOT, out, key, selfTest, progress, system);
    }

    /**
     * {@code seal --endpoint}: the member's snapshot spooled beside {@code out} (0600), its trailer required, then
     * sealed as an etcdctl snapshot file is; the spool is removed whatever happens.
     */
    public static CompletionStage<SealJob.Report> endpoint(EndpointSettings endpoint, Path out, ArchiveKey key,
                                                               boolean selfTest, boolean progress, ActorSystem system)
            throws IOException {
        Path spool = SnapshotSpool.beside(out);
        return SnapshotSpool.removedAfter(spool, SnapshotSpool.save(endpoint, spool, progress, system)
                .thenCompose(spooled -> Streams.starting(() -> snapshotFile(spooled.file(), SnapshotTrailer.Check.REQUIRED,
                        ENDPOINT, out, key, selfTest, progress, system))));
    }

    private static CompletionStage<SealJob.Report> snapshotFile(Path snapshot, SnapshotTrailer.Check check,
                                                                    String sourceKind, Path out, ArchiveKey key,
                                                                    boolean selfTest, boolean progress,
                                                                    ActorSystem system) throws IOException {
        Path scratch = ScratchBackend.beside(out);
        return ScratchBackend.removedAfter(scratch, StateStreams.fromEtcdDb(snapshot, check,
                        BackendRestoreSink.to(scratch, RestoreOptions.defaults()), progress, system)
                .thenCompose(restored -> Streams.starting(() -> ArchiveJobs.seal(scratch, sourceKind, out, key, selfTest,
                        progress, system))));
    }
}
