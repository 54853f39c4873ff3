package dev.raftpipe.pipeline.replay;

import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.endpoint.SnapshotSpool;
import dev.raftpipe.pipeline.StateStreams;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.EndpointSettings;
import dev.raftpipe.stages.RestoreSummary;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * {@code replay --etcd-snapshot} and {@code replay --endpoint}: an etcd snapshot (a file, or streamed from a running
 * member and spooled beside the backend) becomes a new backend holding what etcd serves from it. A snapshot has no
 * WAL after it, so there is nothing to continue: an existing backend is refused rather than replaced.
 */
public final class SnapshotReplay {
    public static final String ETCD_SNAPSHOT = "etcd-snapshot";
    public static final String ENDPOINT = "endpoint";

    private SnapshotReplay() {
    }

    /**
     * @param source the file or the endpoint's URL; {@code kind}: {@code etcd-snapshot} or {@code endpoint}
     * @param bytes  the snapshot's size, as read or received
     */
    public record Report(String source, String kind, long bytes, RestoreSummary restore, Duration duration) {
    }

    public static CompletionStage<Report> file(Path snapshot, SnapshotTrailer.Check check, Path backend,
                                               boolean progress, ActorSystem system) throws IOException {
        if (!Files.isRegularFile(snapshot)) {
            throw new NoSuchFileException(snapshot.toString(), null, "no etcd snapshot file here");
        }
        return into(snapshot, check, snapshot.toString(), ETCD_SNAPSHOT, backend, progress, system, System.nanoTime());
    }

    public static CompletionStage<Report> endpoint(EndpointSettings endpoint, Path backend, boolean progress,
                                                   ActorSystem system) throws IOException {
        long start = System.nanoTime();
        refuseExisting(backend);
        Path spool = SnapshotSpool.beside(backend);
        return SnapshotSpool.removedAfter(spool, SnapshotSpool.save(endpoint, spool, progress, system)
                .thenCompose(spooled -> Streams.starting(() -> into(spooled.file(), SnapshotTrailer.Check.REQUIRED,
                        endpoint.endpoint().toString(), ENDPOINT, backend, progress, system, start))));
    }

    private static CompletionStage<Report> into(Path snapshot, SnapshotTrailer.Check check, String source, String kind,
                                                Path backend, boolean progress, ActorSystem system, long start)
            throws IOException {
        refuseExisting(backend);
        long bytes = Files.size(snapshot);
        return StateStreams.fromEtcdDb(snapshot, check, BackendRestoreSink.to(backend, RestoreOptions.defaults()),
                        progress, system)
                .thenApply(r -> new Report(source, kind, bytes, r, Duration.ofNanos(System.nanoTime() - start)));
    }

    private static void refuseExisting(Path backend) throws FileAlreadyExistsException {
        if (Files.exists(backend)) {
            throw new FileAlreadyExistsException(backend.toString(), null, "already exists: a snapshot makes a new "
                    + "backend (use restore --force to replace one from an archive)");
        }
    }
}
