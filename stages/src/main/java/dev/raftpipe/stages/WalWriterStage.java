package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.codecs.wal.WalWriter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The WAL segment writer as a sink stage: it owns the open segment, the running CRC and the
 * temporary directory, which must be committed on completion and removed on any failure.
 */
final class WalWriterStage
        extends AbstractGraphStageWithMaterializedValue<SinkShape<WalRecord>, CompletionStage<WalWriteSummary>> {

    private final Inlet<WalRecord> in = Inlet.create("WalSink.in");
    private final SinkShape<WalRecord> shape = SinkShape.of(in);
    private final Path walDir;
    private final WalWriter.Options options;
    private final Optional<WalWriter.SegmentHandOff> handOff;

    public WalWriterStage(Path walDir, WalWriter.Options options, Optional<WalWriter.SegmentHandOff> handOff) {
        this.walDir = walDir;
        this.options = options;
        this.handOff = handOff;
    }

    @Override
    public SinkShape<WalRecord> shape() {
        return shape;
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<WalWriteSummary>> createLogicAndMaterializedValuePair(
            Attributes attributes) {
        CompletableFuture<WalWriteSummary> result = new CompletableFuture<>();
        GraphStageLogic logic = new GraphStageLogic(shape) {
            private WalWriter writer;

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        try {
                            writer.write(grab(in));
                            pull(in);
                        } catch (Exception e) {
                            fail(e);
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        try {
                            result.complete(writer.commit());
                            completeStage();
                        } catch (Exception e) {
                            fail(e);
                        }
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        fail(ex);
                    }
                });
            }

            @Override
            public void preStart() {
                try {
                    writer = WalWriter.create(walDir, options, handOff);
                    pull(in);
                } catch (Exception e) {
                    fail(e);
                }
            }

            @Override
            public void postStop() {
                if (!result.isDone()) {
                    abort();
                    result.completeExceptionally(new AbruptStageTerminationException(this));
                }
            }

            private void fail(Throwable cause) {
                abort();
                result.completeExceptionally(cause);
                failStage(cause);
            }

            private void abort() {
                if (writer != null) {
                    try {
                        writer.abort();
                    } catch (Exception suppressed) {
                        // the original failure is what the caller needs to see
                    }
                }
            }
        };
        return Pair.create(logic, result);
    }
}
