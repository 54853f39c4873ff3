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
import java.util.OptionalLong;
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
        return run(walDir, backend, OptionalLong.empty(), progress, system);
    }

    /** @param toIndex the entry to stop after (point in time), or empty for the whole WAL */
    public static CompletionStage<Report> run(Path walDir, Path backend, OptionalLong toIndex, boolean progress,
                                              ActorSystem system) {
        long start = System.nanoTime();
        if (toIndex.isPresent() && java.nio.file.Files.exists(backend)) {
            return java.util.concurrent.CompletableFuture.failedFuture(new java.nio.file.FileAlreadyExistsException(
                    backend.toString(), null, "a point-in-time replay builds a new backend"));
        }
        PipelineFile pipeline = BuiltInPipelines.named(system.settings().config(), "replay")
                .require("resolve")
                .with("wal-source", "dir", walDir)
                .with("replay-sink", "backend", backend);
        if (toIndex.isPresent()) {
            pipeline = pipeline.withStageAfter("resolve", "to-index").with("to-index", "index", toIndex.getAsLong());
        }
        return BuiltInPipelines.run(pipeline, progress ? Optional.of("replaying " + walDir) : Optional.empty(), system)
                .thenApply(r -> new Report(walDir, r.one(WalReadSummary.class), r.one(RaftLogSummary.class),
                        r.one(ReplaySummary.class), r.find(PointInTimeSummary.class),
                        Duration.ofNanos(System.nanoTime() - start)));
    }
}
