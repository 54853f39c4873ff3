package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.RaftpipeVersion;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.stages.ArchivePublisher;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.ArchiveSummary;
import dev.raftpipe.stages.SnapshotArchive;
import dev.raftpipe.stages.StateSource;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code raftpipe seal}: a backend's state records → hooks after the source → an archive published at {@code out}. */
public final class SealJob {
    private SealJob() {
    }

    /** @param archive the sealer, self-test, producer, source kind and cluster meta.json records */
    /** @param publisher where the archive is streamed instead of renamed onto {@code out} (an object store) */
    public record Settings(Path backend, Path out, ArchiveSettings archive, Hooks hooks, boolean progress,
                           Optional<ArchivePublisher> publisher) {
        /** The archive settings' defaults from {@code config}, raftpipe as the producer, no hooks, no progress. */
        public static Settings create(Path backend, Path out, Config config) {
            return new Settings(backend, out, ArchiveSettings.create(config).withProducer(RaftpipeVersion.producer()),
                    Hooks.none(), false, Optional.empty());
        }

        public Settings withArchive(ArchiveSettings a) {
            return new Settings(backend, out, a, hooks, progress, publisher);
        }

        public Settings withHooks(Hooks h) {
            return new Settings(backend, out, archive, h, progress, publisher);
        }

        public Settings withProgress(boolean on) {
            return new Settings(backend, out, archive, hooks, on, publisher);
        }

        public Settings withPublisher(Optional<ArchivePublisher> p) {
            return new Settings(backend, out, archive, hooks, progress, p);
        }
    }

    public record Report(StateCounts read, ArchiveSummary summary, Duration duration) {
    }

    /** The seal; its value completes once every stage has finished, with the real cause if one failed. */
    public static RunnableGraph<CompletionStage<Report>> graph(Settings s) {
        return StateSource.fromBackend(s.backend())
                .via(Progress.ofState("sealing " + s.backend(), () -> recordCount(s.backend()), s.progress()))
                .viaMat(s.hooks().<StateRecord>at(Hooks.AFTER_SOURCE), Keep.both())
                .toMat(SnapshotArchive.sink(s.out(), s.archive(), s.publisher()), Keep.both())
                .mapMaterializedValue(m -> {
                    long start = System.nanoTime();
                    CompletableFuture<StateCounts> read = m.first().first().toCompletableFuture();
                    CompletableFuture<Void> hooks = m.first().second().toCompletableFuture();
                    CompletableFuture<ArchiveSummary> sealed = m.second().toCompletableFuture();
                    return Streams.allReportingRealFailure(read, hooks, sealed).thenApply(done ->
                            new Report(read.join(), sealed.join(), Duration.ofNanos(System.nanoTime() - start)));
                });
    }

    /** The records a backend holds, for the progress line's ETA; unknown if it cannot be read (the source says why). */
    public static OptionalLong recordCount(Path backend) {
        try (BackendSnapshot snapshot = Backend.snapshot(backend)) {
            return OptionalLong.of(snapshot.recordCount());
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
