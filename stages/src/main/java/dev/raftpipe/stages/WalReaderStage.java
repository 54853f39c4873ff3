package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The WAL reader as a source stage. A stage of its own because its materialized summary must come
 * from the very reader it opened. It hands records over in small batches: the reader runs behind an
 * async boundary on the blocking dispatcher, and crossing a boundary per record costs more than
 * decoding it.
 */
final class WalReaderStage
        extends AbstractGraphStageWithMaterializedValue<SourceShape<List<WalRecord>>, CompletionStage<WalReadSummary>> {

    private final Outlet<List<WalRecord>> out = Outlet.create("WalSource.out");
    private final SourceShape<List<WalRecord>> shape = SourceShape.of(out);
    private final Path walDir;
    private final WalReader.Options options;
    private final int batchRecords;
    private final long batchBytes;

    public WalReaderStage(Path walDir, WalReader.Options options, int batchRecords, long batchBytes) {
        this.walDir = walDir;
        this.options = options;
        this.batchRecords = batchRecords;
        this.batchBytes = batchBytes;
    }

    @Override
    public SourceShape<List<WalRecord>> shape() {
        return shape;
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<WalReadSummary>> createLogicAndMaterializedValuePair(
            Attributes attributes) {
        CompletableFuture<WalReadSummary> summary = new CompletableFuture<>();
        GraphStageLogic logic = new GraphStageLogic(shape) {
            private WalReader reader;

            {
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        try {
                            List<WalRecord> batch = new ArrayList<>();
                            long bytes = 0;
                            WalRecord next = null;
                            while (batch.size() < batchRecords && bytes < batchBytes && (next = reader.next()) != null) {
                                batch.add(next);
                                if (next instanceof WalRecord.EntryRecord e) {
                                    bytes += e.entry().data().length;
                                }
                            }
                            if (!batch.isEmpty()) {
                                push(out, batch);
                            }
                            if (next == null) {
                                finish();
                            }
                        } catch (Exception e) {
                            fail(e);
                        }
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        finish();
                    }
                });
            }

            @Override
            public void preStart() {
                try {
                    reader = WalReader.open(walDir, options);
                } catch (Exception e) {
                    fail(e);
                }
            }

            @Override
            public void postStop() {
                closeQuietly();
                if (!summary.isDone()) {
                    summary.completeExceptionally(new AbruptStageTerminationException(this));
                }
            }

            private void finish() {
                closeQuietly();
                summary.complete(reader.summary());
                completeStage();
            }

            private void fail(Exception e) {
                closeQuietly();
                summary.completeExceptionally(e);
                failStage(e);
            }

            private void closeQuietly() {
                if (reader != null) {
                    try {
                        reader.close();
                    } catch (Exception ignored) {
                        // read-only file handles: nothing can be lost on close
                    }
                }
            }
        };
        return Pair.create(logic, summary);
    }
}
