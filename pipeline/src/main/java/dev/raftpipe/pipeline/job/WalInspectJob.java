package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code raftpipe wal inspect}: WAL source → raft resolution → nothing; the two summaries are the report. */
public final class WalInspectJob {
    private WalInspectJob() {
    }

    public record Settings(Path walDir, WalSourceSettings source, RaftLogSettings log, boolean progress) {
        public static Settings create(Path walDir, Config config) {
            return new Settings(walDir, WalSourceSettings.create(config), RaftLogSettings.create(config), false);
        }

        public Settings withProgress(boolean on) {
            return new Settings(walDir, source, log, on);
        }
    }

    public record Report(Path walDir, WalReadSummary read, RaftLogSummary log, Duration duration) {
    }

    public static CompletionStage<Report> run(Path walDir, boolean progress, ActorSystem system) {
        return graph(Settings.create(walDir, system.settings().config()).withProgress(progress)).run(system);
    }

    /** The inspection; its value completes once every stage has finished, with the real cause if one failed. */
    public static RunnableGraph<CompletionStage<Report>> graph(Settings s) {
        return WalSource.fromDirectory(s.walDir(), s.source())
                .viaMat(RaftLog.resolve(s.log()), Keep.both())
                .via(Progress.ofWal("reading " + s.walDir(), s.walDir(), s.progress()))
                .toMat(Sink.ignore(), Keep.both())
                .mapMaterializedValue(m -> {
                    long start = System.nanoTime();
                    CompletableFuture<WalReadSummary> read = m.first().first().toCompletableFuture();
                    CompletableFuture<RaftLogSummary> log = m.first().second().toCompletableFuture();
                    return Streams.allReportingRealFailure(read, log, m.second().toCompletableFuture())
                            .thenApply(done -> new Report(s.walDir(), read.join(), log.join(),
                                    Duration.ofNanos(System.nanoTime() - start)));
                });
    }
}
