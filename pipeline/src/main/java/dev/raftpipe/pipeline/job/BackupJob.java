package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.stages.BackendReplaySettings;
import dev.raftpipe.stages.BackendReplaySink;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.Redaction;
import dev.raftpipe.stages.RedactionSummary;
import dev.raftpipe.stages.ReplaySummary;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The streaming pass of {@code raftpipe backup}: WAL source → raft resolution → hooks after resolve → redaction →
 * hooks after redaction → the backup's WAL (and, when asked, a backend replayed from the very same entries). Entries
 * are rewritten, never removed, so indexes stay true. Where the WAL goes (a directory, a WAL archive) is the caller's
 * sink; what surrounds the pass (a purged source's db, checking and publishing) is {@code backup.Backup}'s.
 */
public final class BackupJob {
    private BackupJob() {
    }

    /**
     * @param soleMember the member the backup's membership entries name, when it keeps no other (a purged source)
     * @param replayInto a backend to replay the backup's entries into as they are written
     */
    public record Settings(Path walDir, RedactionPolicy policy, OptionalLong soleMember, Optional<Path> replayInto,
                           WalSourceSettings source, RaftLogSettings log, BackendReplaySettings replay, Hooks hooks,
                           boolean progress) {
        /** The stages' defaults from {@code config}, no backend, no hooks, no progress line. */
        public static Settings create(Path walDir, RedactionPolicy policy, Config config) {
            return new Settings(walDir, policy, OptionalLong.empty(), Optional.empty(), WalSourceSettings.create(config),
                    RaftLogSettings.create(config), BackendReplaySettings.create(config), Hooks.none(), false);
        }

        public Settings withSoleMember(OptionalLong member) {
            return new Settings(walDir, policy, member, replayInto, source, log, replay, hooks, progress);
        }

        public Settings withReplayInto(Optional<Path> backend) {
            return new Settings(walDir, policy, soleMember, backend, source, log, replay, hooks, progress);
        }

        public Settings withHooks(Hooks h) {
            return new Settings(walDir, policy, soleMember, replayInto, source, log, replay, h, progress);
        }

        public Settings withProgress(boolean on) {
            return new Settings(walDir, policy, soleMember, replayInto, source, log, replay, hooks, on);
        }
    }

    /** @param wal what the WAL sink materialized */
    public record Report<W>(WalReadSummary read, RaftLogSummary log, RedactionSummary redaction, W wal,
                            Optional<ReplaySummary> backend) {
    }

    /** The pass, into {@code walSink}; its value completes once every stage has, with the real cause if one failed. */
    public static <W> RunnableGraph<CompletionStage<Report<W>>> graph(Settings s,
                                                                      Sink<WalRecord, CompletionStage<W>> walSink) {
        return WalSource.fromDirectory(s.walDir(), s.source())
                .via(Progress.ofWal("backing up " + s.walDir(), s.walDir(), s.progress()))
                .viaMat(RaftLog.resolve(s.log()), Keep.both())
                .viaMat(s.hooks().<WalRecord>at(Hooks.AFTER_RESOLVE), Keep.both())
                .viaMat(Redaction.flow(s.policy(), s.soleMember()), Keep.both())
                .viaMat(s.hooks().<WalRecord>at(Hooks.AFTER_REDACT), Keep.both())
                .viaMat(alsoReplayed(s), Keep.both())
                .toMat(walSink, Keep.both())
                .mapMaterializedValue(m -> {
                    var upstream = m.first();
                    CompletableFuture<WalReadSummary> read =
                            upstream.first().first().first().first().first().toCompletableFuture();
                    CompletableFuture<RaftLogSummary> log =
                            upstream.first().first().first().first().second().toCompletableFuture();
                    CompletableFuture<Void> resolvedHooks = upstream.first().first().first().second().toCompletableFuture();
                    CompletableFuture<RedactionSummary> redaction = upstream.first().first().second().toCompletableFuture();
                    CompletableFuture<Void> redactedHooks = upstream.first().second().toCompletableFuture();
                    CompletableFuture<Optional<ReplaySummary>> backend = upstream.second().toCompletableFuture();
                    CompletableFuture<W> wal = m.second().toCompletableFuture();
                    return Streams.allReportingRealFailure(read, log, resolvedHooks, redaction, redactedHooks, backend,
                                    wal)
                            .thenApply(done -> new Report<>(read.join(), log.join(), redaction.join(), wal.join(),
                                    backend.join()));
                });
    }

    /** The entries also replayed into the backend, if one is asked for. */
    private static Flow<WalRecord, WalRecord, CompletionStage<Optional<ReplaySummary>>> alsoReplayed(Settings s) {
        if (s.replayInto().isEmpty()) {
            return Flow.<WalRecord>create().mapMaterializedValue(n -> CompletableFuture.completedFuture(Optional.empty()));
        }
        return Flow.<WalRecord>create().alsoToMat(BackendReplaySink.to(s.replayInto().get(), s.replay()), Keep.right())
                .mapMaterializedValue(c -> c.thenApply(Optional::of));
    }
}
