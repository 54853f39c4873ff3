package dev.raftpipe.pipeline.location;

import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.endpoint.SnapshotSpool;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/** A {@link SnapshotLocation} as a local file for as long as some work needs it. */
public final class LocalSnapshot {
    private LocalSnapshot() {
    }

    /** Work over a local snapshot file and the trailer check it gets. */
    public interface Work<T> {
        CompletionStage<T> apply(Path file, SnapshotTrailer.Check trailer) throws IOException;
    }

    /**
     * Runs {@code work} over the snapshot as a local file: a file as it is (it must exist), an object copied into a
     * private temporary directory, a member's snapshot spooled beside {@code out} (0600, its trailer required); a
     * copy is removed when the work completes, either way.
     */
    public static <T> CompletionStage<T> with(SnapshotLocation location, Path out, boolean progress,
                                              ActorSystem system, Work<T> work) throws IOException {
        if (location instanceof SnapshotLocation.File f) {
            if (!Files.isRegularFile(f.path())) {
                throw new NoSuchFileException(f.path().toString(), null, "no etcd snapshot file here");
            }
            return work.apply(f.path(), f.trailer());
        }
        if (location instanceof SnapshotLocation.Object o) {
            Staging staging = Staging.of(S3Settings.create(system.settings().config()), progress);
            try {
                Path copy = staging.read(new Place.Remote(o.url()));
                return work.apply(copy, o.trailer()).whenComplete((done, failed) -> closeQuietly(staging));
            } catch (IOException | RuntimeException e) {
                closeQuietly(staging);
                throw e;
            }
        }
        SnapshotLocation.Member member = (SnapshotLocation.Member) location;
        Path spool = SnapshotSpool.beside(out);
        return SnapshotSpool.removedAfter(spool, SnapshotSpool.save(member.endpoint(), spool, progress, system)
                .thenCompose(spooled -> Streams.starting(() -> work.apply(spooled.file(),
                        SnapshotTrailer.Check.REQUIRED))));
    }

    private static void closeQuietly(Staging staging) {
        try {
            staging.close();
        } catch (IOException e) {
            // a private temporary directory left behind: the OS's tmp cleaning takes it
        }
    }
}
