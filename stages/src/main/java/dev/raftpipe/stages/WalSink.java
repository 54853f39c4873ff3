package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.stages.internal.WalWriterStage;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * Writes records as an etcd WAL directory that a real etcd starts from. The directory appears at
 * {@code walDir} only when the stream completes and every segment is fsynced; a failed or cancelled
 * stream leaves nothing there.
 */
public final class WalSink {
    private WalSink() {
    }

    public static Sink<WalRecord, CompletionStage<WalWriteSummary>> toDirectory(Path walDir, WalSinkSettings settings) {
        return Sink.<WalRecord, CompletionStage<WalWriteSummary>>fromMaterializer((mat, attributes) -> Sink.fromGraph(
                        new WalWriterStage(walDir, settings.toWriterOptions(), settings.segmentHandOff()))
                        .async(BlockingIo.dispatcherOf(attributes)))
                .mapMaterializedValue(nested -> nested.thenCompose(summary -> summary));
    }
}
