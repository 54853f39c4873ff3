package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.stages.BackendReplaySettings;
import dev.raftpipe.stages.BackendReplaySink;
import dev.raftpipe.stages.PointInTime;
import dev.raftpipe.stages.PointInTimeSummary;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.ReplaySummary;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code raftpipe replay}: WAL source → raft resolution → (point-in-time cut) → hooks after resolve → backend replay
 * sink, whose applied_index guard skips what the backend already holds.
 */
public final class ReplayJob {
    private ReplayJob() {
    }

    /**
     * @param stop where a point-in-time replay stops ({@link StopAt#END}: the whole WAL); a failure past the base
     *             leaves an existing backend advanced, so callers point-in-time replay into one they build
     */
    public record Settings(Path walDir, Path backend, StopAt stop, WalSourceSettings source, RaftLogSettings log,
                           BackendReplaySettings replay, Hooks hooks, boolean progress) {
        /** The whole WAL, the stages' defaults from {@code config}, no hooks, no progress line. */
        public static Settings create(Path walDir, Path backend, Config config) {
            return new Settings(walDir, backend, StopAt.END, WalSourceSettings.create(config),
                    RaftLogSettings.create(config), BackendReplaySettings.create(config), Hooks.none(), false);
        }

        public Settings withStop(StopAt s) {
            return new Settings(walDir, backend, s, source, log, replay, hooks, progress);
        }

        public Settings withReplay(BackendReplaySettings r) {
            return new Settings(walDir, backend, stop, source, log, r, hooks, progress);
        }

        public Settings withHooks(Hooks h) {
            return new Settings(walDir, backend, stop, source, log, replay, h, progress);
        }

        public Settings withProgress(boolean on) {
            return new Settings(walDir, backend, stop, source, log, replay, hooks, on);
        }
    }

    /** @param cut where a point-in-time replay stopped */
    public record Report(Path walDir, WalReadSummary read, RaftLogSummary log, ReplaySummary replay,
                         Optional<PointInTimeSummary> cut, Duration duration) {
    }

    /** What the commands run: the settings from the system's configuration, with its hooks. */
    public static CompletionStage<Report> run(Path walDir, Path backend, TailReplay tail, boolean progress,
                                              ActorSystem system) {
        Config config = system.settings().config();
        Settings s = Settings.create(walDir, backend, config);
        return graph(s.withStop(tail.stop()).withReplay(s.replay().withAllowOtherCluster(
                        s.replay().allowOtherCluster() || tail.allowOtherCluster()))
                .withHooks(Hooks.of(config, Hooks.REPLAY)).withProgress(progress)).run(system);
    }

    public static CompletionStage<Report> run(Path walDir, Path backend, boolean progress, ActorSystem system) {
        return run(walDir, backend, TailReplay.WHOLE, progress, system);
    }

    /** The replay; its value completes once every stage has finished, with the real cause if one failed. */
    public static RunnableGraph<CompletionStage<Report>> graph(Settings s) {
        BackendReplaySettings replay = s.stop().revision().isPresent()
                ? s.replay().withMaxRevision(s.stop().revision().getAsLong()) : s.replay();
        return WalSource.fromDirectory(s.walDir(), s.source())
                .via(Progress.ofWal("replaying " + s.walDir(), s.walDir(), () -> appliedIndex(s.backend()),
                        s.progress()))
                .viaMat(RaftLog.resolve(s.log()), Keep.both())
                .viaMat(cut(s.stop()), Keep.both())
                .viaMat(s.hooks().<WalRecord>at(Hooks.AFTER_RESOLVE), Keep.both())
                .toMat(BackendReplaySink.to(s.backend(), replay), Keep.both())
                .mapMaterializedValue(m -> {
                    long start = System.nanoTime();
                    CompletableFuture<WalReadSummary> read = m.first().first().first().first().toCompletableFuture();
                    CompletableFuture<RaftLogSummary> log = m.first().first().first().second().toCompletableFuture();
                    CompletableFuture<Optional<PointInTimeSummary>> cut = m.first().first().second().toCompletableFuture();
                    CompletableFuture<Void> hooks = m.first().second().toCompletableFuture();
                    CompletableFuture<ReplaySummary> applied = m.second().toCompletableFuture();
                    return Streams.allReportingRealFailure(read, log, cut, hooks, applied)
                            .thenApply(done -> new Report(s.walDir(), read.join(), log.join(), applied.join(),
                                    cut.join(), Duration.ofNanos(System.nanoTime() - start)));
                });
    }

    /** The index the backend has applied, whose entries the replay skips: 0 for a backend not made yet. */
    private static long appliedIndex(Path backend) {
        if (!Files.exists(backend)) {
            return 0;
        }
        try (BackendSnapshot snapshot = Backend.snapshot(backend)) {
            return snapshot.meta().consistentIndex();
        } catch (RuntimeException e) {
            return 0; // the replay itself says what is wrong with the backend
        }
    }

    /** The log cut right after an index, or passed on whole. */
    private static Flow<WalRecord, WalRecord, CompletionStage<Optional<PointInTimeSummary>>> cut(StopAt stop) {
        if (stop.index().isEmpty()) {
            return Flow.<WalRecord>create().mapMaterializedValue(n -> CompletableFuture.completedFuture(Optional.empty()));
        }
        return PointInTime.upToIndex(stop.index().getAsLong()).mapMaterializedValue(c -> c.thenApply(Optional::of));
    }
}
