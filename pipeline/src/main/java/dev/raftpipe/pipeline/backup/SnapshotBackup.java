package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.DbMeta;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.HistoryCopy;
import dev.raftpipe.codecs.db.HistoryEdit;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriter;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.location.LocalSnapshot;
import dev.raftpipe.pipeline.location.SnapshotLocation;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.ReplaySummary;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * {@code backup --etcd-snapshot} and {@code backup --endpoint}: an etcd snapshot (an {@code etcdctl snapshot save}
 * file, or one streamed from a running member) redacted into a data dir etcd starts from with
 * {@code --force-new-cluster} — the {@link BackupBase} at the db's consistent_index, and a WAL holding the new IDs,
 * that snapshot record and a hard state committing it — or exported as a redacted snapshot file that
 * {@code etcdutl snapshot restore} takes. There is no WAL tail: the snapshot is the whole state.
 */
public final class SnapshotBackup {
    private SnapshotBackup() {
    }

    /** Where the backup goes: a data dir (its WAL elsewhere if asked), or a snapshot file. */
    public sealed interface Output {
        Path path();
    }

    /** @param preallocate off for a data dir that is archived: the WAL segment holds only what was written */
    public record DataDirOutput(Path path, Optional<Path> walDir, Optional<Path> backend, boolean preallocate)
            implements Output {
        public DataDirOutput(Path path, Optional<Path> walDir, Optional<Path> backend) {
            this(path, walDir, backend, true);
        }
    }

    public record ExportOutput(Path path) implements Output {
    }

    /** @param source the file, or the endpoint's URL, as the report names it */
    public record Options(String source, Output output, RedactionPolicy policy, boolean maskKeyGenerated,
                          boolean dropAuth) {
    }

    /**
     * @param ids     the new member and cluster IDs (a data dir output)
     * @param snap    the .snap file written (a data dir output)
     */
    public record Report(Options options, EtcdDbFile.Published db, HistoryEdit.Summary edits, DbMeta sourceMeta,
                         Optional<WalMetadata> ids, Optional<Path> snap, Optional<ReplaySummary> backend,
                         Duration duration) {
        Report withBackend(ReplaySummary b) {
            return new Report(options, db, edits, sourceMeta, ids, snap, Optional.of(b), duration);
        }
    }

    public static CompletionStage<Report> run(SnapshotLocation source, Options o, boolean progress, ActorSystem system)
            throws IOException {
        long start = System.nanoTime();
        refuseExisting(o.output());
        return LocalSnapshot.with(source, o.output().path(), progress, system,
                (snapshot, check) -> run(snapshot, check, o, progress, system, start));
    }

    private static CompletionStage<Report> run(Path snapshot, SnapshotTrailer.Check check, Options o, boolean progress,
                                               ActorSystem system, long start) {
        var blocking = system.dispatchers().lookup(BlockingIo.DISPATCHER);
        if (o.output() instanceof ExportOutput export) {
            return CompletableFuture.supplyAsync(() -> exportTo(snapshot, check, export.path(), o, start), blocking);
        }
        DataDirOutput out = (DataDirOutput) o.output();
        Path temp = TempOutput.beside(out.path());
        Path tempBackend = temp.resolve("backend.db.tmp");
        return CompletableFuture.supplyAsync(() -> assemble(snapshot, check, temp, o), blocking)
                .thenCompose(report -> out.backend().isEmpty() ? CompletableFuture.completedFuture(report)
                        : Streams.starting(() -> DataDirReplay.run(temp, tempBackend, progress, system))
                        .thenApply(replayed -> report.withBackend(replayed.tail().replay())))
                .thenApplyAsync(report -> publish(report, out, temp, tempBackend, start), blocking)
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        deleteQuietly(temp);
                    }
                });
    }

    private static Report exportTo(Path snapshot, SnapshotTrailer.Check check, Path out, Options o, long start) {
        try (EtcdDb db = EtcdDb.open(snapshot, check)) {
            long id = Backup.randomId();
            HistoryEdit edit = new HistoryEdit(o.policy(), sole(o, id), o.dropAuth());
            HistoryCopy copy = new HistoryCopy(db, edit);
            EtcdDbFile.Published published = EtcdDbFile.publish(out, copy, true);
            return new Report(o, published, copy.summary(), db.meta(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The db and .snap at the snapshot's consistent_index, then the WAL that names them, inside {@code temp}. */
    private static Report assemble(Path snapshot, SnapshotTrailer.Check check, Path temp, Options o) {
        try {
            DbMeta meta;
            List<StateRecord.Member> sourceMembers;
            try (EtcdDb db = EtcdDb.open(snapshot, check)) {
                meta = db.meta();
                sourceMembers = db.members();
            }
            WalMetadata ids = new WalMetadata(Backup.randomId(), Backup.randomId());
            Optional<StateRecord.Member> sole = sole(o, ids.nodeId());
            // 3.4 keeps no term in its db; a term of 1 agrees with nothing else because nothing else is there
            long term = meta.term().orElse(1);
            long index = meta.consistentIndex();
            ConfState conf = sole.map(m -> ConfState.of(List.of(m.id()), List.of()))
                    .orElseGet(() -> sourceConf(meta, sourceMembers));
            MemberDir member = MemberDir.of(temp);
            BackupBase.Written base = BackupBase.write(snapshot, check, new HistoryEdit(o.policy(), sole, o.dropAuth()),
                    member.createSnapDir(), term, index, conf, sole.map(List::of).orElse(sourceMembers));
            // as etcdutl's snapshot restore, for the etcd whose db this is
            boolean confInWal = meta.layout().recordsConfStateInWalSnapshot();
            WalWriter.Options d = WalWriter.Options.DEFAULTS;
            boolean preallocate = !(o.output() instanceof DataDirOutput out) || out.preallocate();
            member.writeWal(new WalWriter.Options(d.segmentBytes(), d.writeBufferBytes(), preallocate, d.fsync(),
                    d.metadata()), ids, List.of(
                    new WalRecord.SnapshotRecord(new WalSnapshot(index, term, confInWal ? Optional.of(conf) : Optional.empty())),
                    new WalRecord.StateRecord(new HardState(term, 0, index))));
            return new Report(o, base.db(), base.edits(), meta, Optional.of(ids), Optional.of(base.snap()),
                    Optional.empty(), Duration.ZERO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConfState sourceConf(DbMeta meta, List<StateRecord.Member> members) {
        if (meta.confState() != null) {
            return ConfState.of(meta.confState().voters(), meta.confState().learners());
        }
        return ConfState.of(members.stream().filter(m -> !m.isLearner()).map(StateRecord.Member::id).toList(),
                members.stream().filter(StateRecord.Member::isLearner).map(StateRecord.Member::id).toList());
    }

    private static Optional<StateRecord.Member> sole(Options o, long id) {
        return o.policy().keepMembership() ? Optional.empty() : Optional.of(HistoryEdit.backupMember(id));
    }

    private static Report publish(Report r, DataDirOutput out, Path temp, Path tempBackend, long start) {
        try {
            if (out.walDir().isPresent()) {
                PrivateFiles.createDirectories(out.walDir().get().toAbsolutePath().getParent());
                Files.move(MemberDir.of(temp).walDir(), out.walDir().get());
            }
            if (out.backend().isPresent()) {
                Files.move(tempBackend, out.backend().get());
            }
            Files.move(temp, out.path(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MemberDir published = MemberDir.of(out.path());
        Path snap = published.snapDir().resolve(r.snap().orElseThrow().getFileName());
        EtcdDbFile.Published db = r.db();
        return new Report(r.options(), new EtcdDbFile.Published(published.db(), db.written(),
                db.bytes(), db.sha256(), db.statusHash()), r.edits(), r.sourceMeta(), r.ids(), Optional.of(snap),
                r.backend(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static void refuseExisting(Output output) throws FileAlreadyExistsException {
        List<Path> targets = output instanceof DataDirOutput d
                ? Stream.of(Stream.of(d.path()), d.walDir().stream(), d.backend().stream()).flatMap(x -> x).toList()
                : List.of(output.path());
        for (Path target : targets) {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "already exists; a backup never overwrites");
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException ignored) {
            // a leftover temporary directory is never at the published path
        }
    }
}
