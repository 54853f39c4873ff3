package dev.raftpipe.examples.plugin;

import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;
import dev.raftpipe.stages.BlockingIo;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A plugin sink over an etcd db's MVCC history ({@code db-source} with {@code history = true}): counts the stored
 * revisions and tombstones and the highest revision, written as JSON to {@code out} when the stream ends.
 */
public final class RevisionStatsSink implements StageFactory {
    @Override
    public String name() {
        return "revision-stats";
    }

    @Override
    public Stage create(StageSettings settings) {
        Path out = settings.path("out");
        return new Stage.SinkStage(Payload.KEY_REVISIONS, Sink.<KeyRevision, CompletionStage<Long>>fromMaterializer(
                (mat, attributes) -> statsTo(out, mat.system().dispatchers().lookup(BlockingIo.DISPATCHER)))
                .mapMaterializedValue(nested -> nested.thenCompose(count -> count)));
    }

    /** Folds the revisions; the file is written on the blocking-I/O dispatcher when the stream ends. */
    private static Sink<KeyRevision, CompletionStage<Long>> statsTo(Path out, Executor blocking) {
        return Sink.<long[], KeyRevision>fold(new long[3], (stats, r) -> {
            stats[0]++;
            stats[1] += r.tombstone() ? 1 : 0;
            stats[2] = Math.max(stats[2], r.revision().main());
            return stats;
        }).mapMaterializedValue(done -> done.thenApplyAsync(stats -> {
            try {
                Files.writeString(out, "{\"revisions\":" + stats[0] + ",\"tombstones\":" + stats[1]
                        + ",\"last_revision\":" + stats[2] + "}\n");
                return stats[0];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking));
    }
}
