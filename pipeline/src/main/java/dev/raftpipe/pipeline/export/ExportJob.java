package dev.raftpipe.pipeline.export;

import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.HistoryCopy;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.pipeline.source.SourceKind;
import dev.raftpipe.pipeline.source.StateSources;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.DbSink;
import dev.raftpipe.stages.DbSinkSettings;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code export --etcd-snapshot}: any state raftpipe reads (a verified archive, a backend, a stopped member's
 * data dir, an etcd db or snapshot file) written as an {@code etcdctl snapshot save} file, which
 * {@code etcdutl snapshot restore} (3.5) and {@code etcdctl snapshot restore} (3.4) take.
 */
public final class ExportJob {
    public record Report(Path source, SourceKind kind, EtcdDbFile.Published published, Duration duration) {
    }

    private ExportJob() {
    }

    /** The etcd layout to write (empty: the source's own), how to read the source, and whether to copy its history. */
    public record Settings(Optional<EtcdVersion> etcdVersion, StateSources.Reading reading, boolean history) {
    }

    public static CompletionStage<Report> run(Path source, Path out, Settings s, boolean progress, ActorSystem system)
            throws IOException {
        long start = System.nanoTime();
        EtcdDbFile.refuseExisting(out);
        SourceKind kind = SourceKind.of(source);
        DbSinkSettings sink = DbSinkSettings.create(system.settings().config()).withEtcdVersion(s.etcdVersion());
        if (s.history()) {
            if (kind != SourceKind.ETCD_DB) {
                throw new IllegalArgumentException("a history export needs an etcd db or snapshot file as the source ("
                        + kind.label() + "s hold live state only)");
            }
            Executor blocking = system.dispatchers().lookup(BlockingIo.DISPATCHER);
            return CompletableFuture.supplyAsync(() -> {
                try (EtcdDb db = EtcdDb.open(source, s.reading().trailer())) {
                    return EtcdDbFile.publish(out, new HistoryCopy(db), sink.snapshotTrailer());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, blocking).thenApply(p -> new Report(source, kind, p, Duration.ofNanos(System.nanoTime() - start)));
        }
        CompletionStage<EtcdDbFile.Published> written = StateSources.stream(source, kind, s.reading(), out,
                DbSink.toFile(out, sink), progress, system);
        return written.thenApply(p -> new Report(source, kind, p, Duration.ofNanos(System.nanoTime() - start)));
    }
}
