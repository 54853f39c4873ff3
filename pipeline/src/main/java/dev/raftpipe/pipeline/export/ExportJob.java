package dev.raftpipe.pipeline.export;

import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.EtcdDbWriter;
import dev.raftpipe.codecs.db.HistoryCopy;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.StateStreams;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.DbSink;
import dev.raftpipe.stages.DbSinkSettings;
import dev.raftpipe.stages.SnapshotArchive;
import dev.raftpipe.stages.StateSource;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
    /** What the source is, told by what it holds. */
    public enum SourceKind {
        ARCHIVE("archive"), WAL_ARCHIVE("wal-archive"), BACKEND("backend"), DATA_DIR("data-dir"), ETCD_DB("etcd-db");

        private final String label;

        SourceKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public record Report(Path source, SourceKind kind, EtcdDbFile.Published published, Duration duration) {
    }

    private ExportJob() {
    }

    /** The etcd layout to write (empty: the source's own), the sealer that opens an archive, an etcd db's trailer check. */
    public record Settings(Optional<EtcdVersion> etcdVersion, Optional<Sealer> opening, SnapshotTrailer.Check trailer,
                           boolean history) {
    }

    public static CompletionStage<Report> run(Path source, Path out, Settings s, boolean progress, ActorSystem system)
            throws IOException {
        long start = System.nanoTime();
        SourceKind kind = kindOf(source);
        DbSinkSettings sink = DbSinkSettings.create(system.settings().config()).withEtcdVersion(s.etcdVersion());
        if (s.history()) {
            if (kind != SourceKind.ETCD_DB) {
                throw new IllegalArgumentException("a history export needs an etcd db or snapshot file as the source ("
                        + kind.label() + "s hold live state only)");
            }
            Executor blocking = system.dispatchers().lookup(BlockingIo.DISPATCHER);
            return CompletableFuture.supplyAsync(() -> {
                try (EtcdDb db = EtcdDb.open(source, s.trailer())) {
                    return EtcdDbFile.publish(out, new HistoryCopy(db), sink.snapshotTrailer());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, blocking).thenApply(p -> new Report(source, kind, p, Duration.ofNanos(System.nanoTime() - start)));
        }
        CompletionStage<EtcdDbFile.Published> written = stateInto(source, kind, s, out, DbSink.toFile(out, sink),
                progress, system);
        return written.thenApply(p -> new Report(source, kind, p, Duration.ofNanos(System.nanoTime() - start)));
    }

    /**
     * The state of a source, as etcd would serve it, streamed into {@code sink}: an archive verified as it is
     * read, a backend, an etcd db, or a data dir replayed first into a scratch backend beside {@code out}.
     */
    public static <T> CompletionStage<T> stateInto(Path source, SourceKind kind, Settings s, Path out,
                                                   Sink<StateRecord, CompletionStage<T>> sink, boolean progress,
                                                   ActorSystem system) throws IOException {
        return switch (kind) {
            // every sink given here publishes only when its stream completes: one read of the archive is enough
            case ARCHIVE -> StateStreams.stream(SnapshotArchive.source(source, ArchiveSettings.create(system.settings().config())
                    .withSealer(s.opening()).withVerifyFirst(false)), source, sink, progress, system);
            case BACKEND -> StateStreams.stream(StateSource.fromBackend(source), source, sink, progress, system);
            case ETCD_DB -> StateStreams.fromEtcdDb(source, s.trailer(), sink, progress, system);
            case DATA_DIR -> {
                Path scratch = ScratchBackend.beside(out);
                yield ScratchBackend.removedAfter(scratch, DataDirReplay.run(source, scratch, progress, system)
                        .thenCompose(replayed -> StateStreams.stream(StateSource.fromBackend(scratch), source, sink, progress, system)));
            }
            case WAL_ARCHIVE -> {
                // replayed as etcd starts from it (its db first), like a data dir
                Path scratch = ScratchBackend.beside(out);
                yield ScratchBackend.removedAfter(scratch, dev.raftpipe.pipeline.archive.WalArchiveRestore.toBackend(
                                source, scratch, dev.raftpipe.pipeline.job.StopAt.END, s.opening(), progress, system)
                        .thenCompose(replayed -> StateStreams.stream(StateSource.fromBackend(scratch), source, sink, progress, system)));
            }
        };
    }

    public static SourceKind kindOf(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            if (Files.isRegularFile(MemberDir.of(source).db())) {
                return SourceKind.DATA_DIR;
            }
            throw new NoSuchFileException(source.toString(), null, "a directory but not an etcd data dir (no member/snap/db)");
        }
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString());
        }
        if (EtcdDb.isBolt(source)) {
            return SourceKind.ETCD_DB;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(source)) {
            head = in.readNBytes(16);
        }
        if (Arrays.equals(head, "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII))) {
            return SourceKind.BACKEND;
        }
        return dev.raftpipe.codecs.archive.WalArchiveReader.isWalArchive(source) ? SourceKind.WAL_ARCHIVE
                : SourceKind.ARCHIVE;
    }
}
