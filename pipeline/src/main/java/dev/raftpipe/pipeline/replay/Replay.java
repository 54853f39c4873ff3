package dev.raftpipe.pipeline.replay;

import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.pipeline.run.BuiltInPipelines;
import dev.raftpipe.pipeline.run.PipelineFile;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.ReplaySummary;
import org.apache.pekko.actor.ActorSystem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import dev.raftpipe.stages.PointInTimeSummary;
import java.util.concurrent.CompletionStage;

/** {@code raftpipe replay}: the {@code replay} pipeline (WAL source, raft resolution, backend replay sink). */
public final class Replay {
    private Replay() {
    }

    /** @param cut where a point-in-time replay stopped */
    public record Report(Path walDir, WalReadSummary read, RaftLogSummary log, ReplaySummary replay,
                         Optional<PointInTimeSummary> cut, Duration duration) {
    }

    public static CompletionStage<Report> run(Path walDir, Path backend, boolean progress, ActorSystem system) {
        return run(walDir, backend, StopAt.END, progress, system);
    }

    /**
     * @param stop where a point-in-time replay stops ({@link StopAt#END}: the whole WAL); a failure past the base
     *             leaves an existing backend advanced, so callers point-in-time replay into one they build
     */
    public static CompletionStage<Report> run(Path walDir, Path backend, StopAt stop, boolean progress,
                                              ActorSystem system) {
        long start = System.nanoTime();
        PipelineFile pipeline = BuiltInPipelines.named(system.settings().config(), "replay")
                .require("resolve")
                .with("wal-source", "dir", walDir)
                .with("replay-sink", "backend", backend);
        if (stop.index().isPresent()) {
            pipeline = pipeline.withStageAfter("resolve", "to-index").with("to-index", "index", stop.index().getAsLong());
        }
        if (stop.revision().isPresent()) {
            pipeline = pipeline.with("replay-sink", "to-revision", stop.revision().getAsLong());
        }
        return BuiltInPipelines.run(pipeline, progress ? Optional.of("replaying " + walDir) : Optional.empty(), system)
                .thenApply(r -> new Report(walDir, r.one(WalReadSummary.class), r.one(RaftLogSummary.class),
                        r.one(ReplaySummary.class), r.find(PointInTimeSummary.class),
                        Duration.ofNanos(System.nanoTime() - start)));
    }
}
