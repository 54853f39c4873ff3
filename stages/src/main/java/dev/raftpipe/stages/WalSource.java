package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

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
        return Source.fromMaterializer((mat, attributes) -> {
            AtomicReference<WalReader> opened = new AtomicReference<>();
            return Source.unfoldResource(
                            () -> {
                                WalReader reader = WalReader.open(walDir, settings.toReaderOptions());
                                opened.set(reader);
                                return reader;
                            },
                            reader -> Optional.ofNullable(reader.next()),
                            WalReader::close)
                    .withAttributes(ActorAttributes.dispatcher(BlockingIo.DISPATCHER))
                    .watchTermination((notUsed, done) -> done.<WalReadSummary>thenApply(d -> {
                        WalReader reader = opened.get();
                        if (reader == null) {
                            throw new IllegalStateException("WAL reader never opened");
                        }
                        return reader.summary();
                    }));
        }).mapMaterializedValue(WalSource::flatten).async(BlockingIo.DISPATCHER);
    }

    private static <T> CompletionStage<T> flatten(CompletionStage<CompletionStage<T>> nested) {
        return nested.thenCompose(inner -> inner);
    }
}
