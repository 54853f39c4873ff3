package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The raft overwrite buffer as a stage. It needs its own state because an entry may be superseded
 * by one that arrives later, so uncommitted entries must wait; it pulls only when it has nothing
 * ready for downstream.
 */
final class RaftLogResolver
        extends AbstractGraphStageWithMaterializedValue<FlowShape<WalRecord, WalRecord>, CompletionStage<RaftLogSummary>> {

    private final Inlet<WalRecord> in = Inlet.create("RaftLog.in");
    private final Outlet<WalRecord> out = Outlet.create("RaftLog.out");
    private final FlowShape<WalRecord, WalRecord> shape = FlowShape.of(in, out);
    private final RaftLogSettings settings;

    public RaftLogResolver(RaftLogSettings settings) {
        this.settings = settings;
    }

    @Override
    public FlowShape<WalRecord, WalRecord> shape() {
        return shape;
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<RaftLogSummary>> createLogicAndMaterializedValuePair(
            Attributes attributes) {
        CompletableFuture<RaftLogSummary> summary = new CompletableFuture<>();
        LogResolution resolution = new LogResolution(settings.maxUncommittedBytes());
        GraphStageLogic logic = new GraphStageLogic(shape) {
            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        try {
                            resolution.accept(grab(in));
                        } catch (RuntimeException e) {
                            summary.completeExceptionally(e);
                            failStage(e);
                            return;
                        }
                        if (isAvailable(out) && resolution.hasReady()) {
                            push(out, resolution.poll());
                        } else if (!resolution.hasReady()) {
                            pull(in);
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        resolution.finish();
                        if (!resolution.hasReady()) {
                            finish();
                        } else if (isAvailable(out)) {
                            push(out, resolution.poll());
                        }
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        summary.completeExceptionally(ex);
                        failStage(ex);
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (resolution.hasReady()) {
                            push(out, resolution.poll());
                        } else if (isClosed(in)) {
                            finish();
                        } else if (!hasBeenPulled(in)) {
                            pull(in);
                        }
                    }
                });
            }

            private void finish() {
                summary.complete(resolution.summary());
                completeStage();
            }

            @Override
            public void postStop() {
                if (!summary.isDone()) {
                    summary.completeExceptionally(new AbruptStageTerminationException(this));
                }
            }
        };
        return Pair.create(logic, summary);
    }
}
