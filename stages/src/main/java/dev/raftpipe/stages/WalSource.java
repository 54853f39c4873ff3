package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Reads an etcd WAL directory ({@code member/wal}) as a stream of records, one record in memory at
 * a time, on the blocking dispatcher. The materialized summary counts what was read and reports a
 * torn last record; it fails with the stream's error, e.g. a
 * {@link dev.raftpipe.codecs.wal.WalCorruptedException} naming segment and offset.
 */
public final class WalSource {
    private WalSource() {
    }

    public static Source<WalRecord, CompletionStage<WalReadSummary>> fromDirectory(Path walDir,
                                                                                  WalSourceSettings settings) {
        // batches, not records, cross from the reader's dispatcher to the stream
        return Source.<List<WalRecord>, CompletionStage<WalReadSummary>>fromMaterializer((mat, attributes) ->
                        Source.fromGraph(new WalReaderStage(walDir, settings.toReaderOptions(), settings.batchRecords(),
                                        settings.batchBytes()))
                                .withAttributes(ActorAttributes.dispatcher(BlockingIo.dispatcherOf(attributes)))
                                .async())
                .mapMaterializedValue(nested -> nested.thenCompose(summary -> summary))
                .mapConcat(batch -> batch);
    }
}
