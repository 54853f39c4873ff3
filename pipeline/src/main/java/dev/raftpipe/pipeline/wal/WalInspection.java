package dev.raftpipe.pipeline.wal;

import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/** The {@code wal inspect} pipeline: WAL source, raft resolution, and the two summaries. */
public final class WalInspection {
    private WalInspection() {
    }

    public record Report(Path walDir, WalReadSummary read, RaftLogSummary log) {
    }

    public static CompletionStage<Report> run(Path walDir, ActorSystem system) {
        Pair<Pair<CompletionStage<WalReadSummary>, CompletionStage<RaftLogSummary>>, CompletionStage<org.apache.pekko.Done>> m =
                WalSource.fromDirectory(walDir, WalSourceSettings.create(system.settings().config()))
                        .viaMat(RaftLog.resolve(RaftLogSettings.create(system.settings().config())), Keep.both())
                        .toMat(Sink.ignore(), Keep.both())
                        .run(system);
        return m.second()
                .thenCompose(done -> m.first().first())
                .thenCombine(m.first().second(), (read, log) -> new Report(walDir, read, log));
    }
}
