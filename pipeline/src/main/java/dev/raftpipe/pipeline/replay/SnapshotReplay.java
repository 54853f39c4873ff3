package dev.raftpipe.pipeline.replay;

import dev.raftpipe.pipeline.StateStreams;
import dev.raftpipe.pipeline.location.LocalSnapshot;
import dev.raftpipe.pipeline.location.SnapshotLocation;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.RestoreSummary;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * {@code replay --etcd-snapshot} and {@code replay --endpoint}: an etcd snapshot (a file, or streamed from a running
 * member and spooled beside the backend) becomes a new backend holding what etcd serves from it. A snapshot has no
 * WAL after it, so there is nothing to continue: an existing backend is refused rather than replaced.
 */
public final class SnapshotReplay {
    private SnapshotReplay() {
    }

    /**
     * @param source the file or the endpoint's URL; {@code kind}: {@code etcd-snapshot} or {@code endpoint}
     * @param bytes  the snapshot's size, as read or received
     */
    public record Report(String source, String kind, long bytes, RestoreSummary restore, Duration duration) {
    }

    public static CompletionStage<Report> run(SnapshotLocation source, Path backend, boolean progress,
                                              ActorSystem system) throws IOException {
        long start = System.nanoTime();
        refuseExisting(backend);
        return LocalSnapshot.with(source, backend, progress, system, (snapshot, check) -> {
            refuseExisting(backend); // a member's snapshot takes a while to arrive
            long bytes = Files.size(snapshot);
            return StateStreams.fromEtcdDb(snapshot, check, BackendRestoreSink.to(backend, RestoreOptions.defaults()),
                            progress, system)
                    .thenApply(r -> new Report(source.name(), source.kind(), bytes, r,
                            Duration.ofNanos(System.nanoTime() - start)));
        });
    }

    private static void refuseExisting(Path backend) throws FileAlreadyExistsException {
        if (Files.exists(backend)) {
            throw new FileAlreadyExistsException(backend.toString(), null, "already exists: a snapshot makes a new "
                    + "backend (use restore --force to replace one from an archive)");
        }
    }
}
