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
import java.util.concurrent.CompletionStage;

/** {@code raftpipe replay}: the {@code replay} pipeline (WAL source, raft resolution, backend replay sink). */
public final class Replay {
    private Replay() {
    }

    public record Report(Path walDir, WalReadSummary read, RaftLogSummary log, ReplaySummary replay,
                         Duration duration) {
    }

    public static CompletionStage<Report> run(Path walDir, Path backend, boolean progress, ActorSystem system) {
        long start = System.nanoTime();
        PipelineFile pipeline = BuiltInPipelines.named(system.settings().config(), "replay")
                .require("resolve")
                .with("wal-source", "dir", walDir)
                .with("replay-sink", "backend", backend);
        return BuiltInPipelines.run(pipeline, progress ? Optional.of("replaying " + walDir) : Optional.empty(), system)
                .thenApply(r -> new Report(walDir, r.one(WalReadSummary.class), r.one(RaftLogSummary.class),
                        r.one(ReplaySummary.class), Duration.ofNanos(System.nanoTime() - start)));
    }
}
