package dev.raftpipe.pipeline.endpoint;

import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.TempNames;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.EndpointSettings;
import dev.raftpipe.stages.EndpointSnapshot;
import dev.raftpipe.stages.EndpointSource;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.japi.Pair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A live member's snapshot written to {@code <out>.tmp-<random>.etcd-snapshot}, 0600, beside the job's output:
 * the bytes of an {@code etcdctl snapshot save} file, which the file-based jobs then read with the trailer
 * required. The spool is removed when the work that reads it ends ({@link #removedAfter}).
 */
public final class SnapshotSpool {
    private SnapshotSpool() {
    }

    public record Spooled(Path file, EndpointSnapshot snapshot) {
    }

    public static Path beside(Path out) {
        return Path.of(TempNames.beside(out) + ".etcd-snapshot");
    }

    public static CompletionStage<Spooled> save(EndpointSettings endpoint, Path spool, boolean progress,
                                                ActorSystem system) throws IOException {
        PrivateFiles.createFile(spool);
        Pair<CompletionStage<EndpointSnapshot>, CompletionStage<IOResult>> m = EndpointSource.snapshot(endpoint)
                .via(Progress.ofBytes("snapshot from " + endpoint.endpoint(), progress))
                .toMat(FileIO.toPath(spool, Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
                        .withAttributes(ActorAttributes.dispatcher(BlockingIo.DISPATCHER)), Keep.both())
                .run(system);
        return Streams.sourceThenSink(m.first(), m.second())
                .thenCompose(snapshot -> m.second().thenApply(written -> new Spooled(spool, snapshot)));
    }

    /** {@code work} over the spool, which is removed when it completes, either way. */
    public static <T> CompletionStage<T> removedAfter(Path spool, CompletionStage<T> work) {
        return work.whenComplete((done, failure) -> {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // a leftover is named as ours; the work's own result matters more
            }
        });
    }
}
