package dev.raftpipe.pipeline.wal;

import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import dev.raftpipe.pipeline.Progress;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** The {@code wal inspect} pipeline: WAL source, raft resolution, and the two summaries. */
public final class WalInspection {
    private WalInspection() {
    }

    public record Report(Path walDir, WalReadSummary read, RaftLogSummary log, Duration duration) {
    }

    public static CompletionStage<Report> run(Path walDir, boolean progress, ActorSystem system) {
        long start = System.nanoTime();
        Pair<Pair<CompletionStage<WalReadSummary>, CompletionStage<RaftLogSummary>>, CompletionStage<Done>> m =
                WalSource.fromDirectory(walDir, WalSourceSettings.create(system.settings().config()))
                        .viaMat(RaftLog.resolve(RaftLogSettings.create(system.settings().config())), Keep.both())
                        .via(Progress.ofWal("reading " + walDir, walDir, progress))
                        .toMat(Sink.ignore(), Keep.both())
                        .run(system);
        return m.second()
                .thenCompose(done -> m.first().first())
                .thenCombine(m.first().second(), (read, log) ->
                        new Report(walDir, read, log, Duration.ofNanos(System.nanoTime() - start)));
    }
}
