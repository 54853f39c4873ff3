package dev.raftpipe.itests.plugin;

import dev.raftpipe.codecs.db.KeyRevision;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        return new Stage.SinkStage(Payload.KEY_REVISIONS, Sink.<long[], KeyRevision>fold(new long[3], (stats, r) -> {
            stats[0]++;
            stats[1] += r.tombstone() ? 1 : 0;
            stats[2] = Math.max(stats[2], r.revision().main());
            return stats;
        }).mapMaterializedValue(done -> done.thenApply(stats -> {
            try {
                Files.writeString(out, "{\"revisions\":" + stats[0] + ",\"tombstones\":" + stats[1]
                        + ",\"last_revision\":" + stats[2] + "}\n");
                return stats[0];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })));
    }
}
