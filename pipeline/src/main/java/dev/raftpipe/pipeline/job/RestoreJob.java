package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.archive.ArchiveSidecar;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.archive.VerifiedArchive;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.RestoreSummary;
import dev.raftpipe.stages.SnapshotArchive;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code raftpipe restore} from an archive: its state records, verified as they are read → hooks after the source →
 * a backend published only when the stream completes (so one read of the archive is enough).
 */
public final class RestoreJob {
    private RestoreJob() {
    }

    /** @param restore whether an existing backend that is ahead may be replaced ({@code force}) */
    public record Settings(Path archive, Path backend, RestoreOptions restore, ArchiveSettings read, Hooks hooks,
                           boolean progress) {
        /** The archive read once (the sink publishes only on success), no key, no hooks, no progress. */
        public static Settings create(Path archive, Path backend, Config config) {
            return new Settings(archive, backend, RestoreOptions.defaults(),
                    ArchiveSettings.create(config).withVerifyFirst(false),
                    Hooks.none(), false);
        }

        public Settings withRestore(RestoreOptions r) {
            return new Settings(archive, backend, r, read, hooks, progress);
        }

        public Settings withRead(ArchiveSettings r) {
            return new Settings(archive, backend, restore, r, hooks, progress);
        }

        public Settings withHooks(Hooks h) {
            return new Settings(archive, backend, restore, read, h, progress);
        }

        public Settings withProgress(boolean on) {
            return new Settings(archive, backend, restore, read, hooks, on);
        }
    }

    public record Report(VerifiedArchive archive, RestoreSummary restore) {
    }

    /** The restore; its value completes once every stage has finished, with the real cause if one failed. */
    public static RunnableGraph<CompletionStage<Report>> graph(Settings s) {
        return SnapshotArchive.source(s.archive(), s.read())
                .via(Progress.ofState("restoring " + s.archive(), () -> recordCount(s.archive()), s.progress()))
                .viaMat(s.hooks().<StateRecord>at(Hooks.AFTER_SOURCE), Keep.both())
                .toMat(BackendRestoreSink.to(s.backend(), s.restore()), Keep.both())
                .mapMaterializedValue(m -> {
                    CompletableFuture<VerifiedArchive> verified = m.first().first().toCompletableFuture();
                    CompletableFuture<Void> hooks = m.first().second().toCompletableFuture();
                    CompletableFuture<RestoreSummary> restored = m.second().toCompletableFuture();
                    return Streams.allReportingRealFailure(verified, hooks, restored)
                            .thenApply(done -> new Report(verified.join(), restored.join()));
                });
    }

    /** The records an archive holds, as its sidecar tells; unknown without one. */
    public static OptionalLong recordCount(Path archive) {
        try {
            long n = ArchiveSidecar.read(ArchiveSidecar.of(archive)).counts().total();
            return n > 0 ? OptionalLong.of(n) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // no ETA; the source itself reports what is wrong
        }
    }
}
