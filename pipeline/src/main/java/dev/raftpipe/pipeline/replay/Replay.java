package dev.raftpipe.pipeline.replay;

import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.stages.BackendReplaySettings;
import dev.raftpipe.stages.BackendReplaySink;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.ReplaySummary;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** The {@code replay} pipeline: WAL source, raft resolution, backend replay sink. */
public final class Replay {
    private Replay() {
    }

    public record Report(Path walDir, WalReadSummary read, RaftLogSummary log, ReplaySummary replay,
                         Duration duration) {
    }

    public static CompletionStage<Report> run(Path walDir, Path backend, boolean progress, ActorSystem system) {
        Config config = system.settings().config();
        long start = System.nanoTime();
        Pair<Pair<CompletionStage<WalReadSummary>, CompletionStage<RaftLogSummary>>, CompletionStage<ReplaySummary>> m =
                WalSource.fromDirectory(walDir, WalSourceSettings.create(config))
                        .viaMat(RaftLog.resolve(RaftLogSettings.create(config)), Keep.both())
                        .via(Progress.of("replaying " + walDir, System.err, progress))
                        .toMat(BackendReplaySink.to(backend, BackendReplaySettings.create(config)), Keep.both())
                        .run(system);
        return m.second().thenCompose(replay -> m.first().first().thenCombine(m.first().second(),
                (read, log) -> new Report(walDir, read, log, replay, Duration.ofNanos(System.nanoTime() - start))));
    }
}
