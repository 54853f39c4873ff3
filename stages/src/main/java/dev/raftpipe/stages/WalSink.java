package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Writes records as an etcd WAL directory that a real etcd starts from. The directory appears at
 * {@code walDir} only when the stream completes and every segment is fsynced; a failed or cancelled
 * stream leaves nothing there.
 */
public final class WalSink {
    /** Records handed into the writer's dispatcher at once while it is busy (one hand-off per record costs). */
    private static final int HAND_OFF_RECORDS = 256;

    private WalSink() {
    }

    public static Sink<WalRecord, CompletionStage<WalWriteSummary>> toDirectory(Path walDir, WalSinkSettings settings) {
        Sink<List<WalRecord>, CompletionStage<WalWriteSummary>> writer = Sink
                .<List<WalRecord>, CompletionStage<WalWriteSummary>>fromMaterializer((mat, attributes) -> Flow
                        .<List<WalRecord>>create()
                        .<WalRecord>mapConcat(batch -> batch)
                        .toMat(Sink.fromGraph(new WalWriterStage(walDir, settings.toWriterOptions(),
                                settings.segmentHandOff())).async(BlockingIo.dispatcherOf(attributes)), Keep.right()))
                .mapMaterializedValue(nested -> nested.thenCompose(summary -> summary));
        return Flow.<WalRecord>create()
                .<List<WalRecord>>batch(HAND_OFF_RECORDS, first -> {
                    List<WalRecord> batch = new ArrayList<>();
                    batch.add(first);
                    return batch;
                }, (batch, next) -> {
                    batch.add(next);
                    return batch;
                })
                .toMat(writer, Keep.right());
    }
}
