package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.io.PrivateFiles;
import com.typesafe.config.Config;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.EtcdDataDir;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.HistoryEdit;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.snap.SnapFile;
import dev.raftpipe.pipeline.MemberLocks;
import dev.raftpipe.pipeline.job.BackupJob;
import dev.raftpipe.pipeline.job.Hooks;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.WalSink;
import dev.raftpipe.stages.WalSinkSettings;
import org.apache.pekko.stream.javadsl.Sink;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.pipeline.archive.WalArchiveJob;
import dev.raftpipe.pipeline.archive.WalArchiveSink;
import dev.raftpipe.pipeline.archive.WalArchiveStream;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.RedactionSummary;
import dev.raftpipe.stages.ReplaySummary;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code raftpipe backup}: the {@code backup} pipeline, one streaming pass WAL source → raft resolution →
 * redaction → the backup's WAL (and, with a backend, the replay sink, fed the very same entries). Entries are rewritten, never
 * removed, so indexes stay true. A purged source (its WAL no longer starts at index 1, so the db holds most of the
 * state) gets a {@link BackupBase} first: its db rewritten with the rules in every stored revision and a .snap
 * with the backup's membership; its backend then comes from replaying the backup itself, as etcd would start from
 * it. Everything is assembled in {@code <backup-dir>.tmp-<random>}, verified, and renamed into place; or, archived,
 * the WAL goes segment by segment into one WAL archive, published once the backup checks out.
 */
public final class Backup {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Backup() {
    }

    /**
     * @param base    the rewritten db and .snap of a purged source
     * @param archive the WAL archive, for a backup archived as it is written
     */
    public record Report(BackupOptions options, RaftLogSummary log, RedactionSummary redaction, WalWriteSummary wal,
                         Optional<ReplaySummary> backend, WalMetadata metadata, boolean snapCopied,
                         Optional<BackupBase.Written> base, Optional<WalArchiveJob.Packed> archive,
                         Duration duration) {
        Report withBackend(ReplaySummary b) {
            return new Report(options, log, redaction, wal, Optional.of(b), metadata, snapCopied, base, archive,
                    duration);
        }
    }

    /** A backup archived as it is written: one sealed WAL archive at the options' backup path. */
    public record ArchiveTarget(Optional<Sealer> sealer) {
    }

    public static CompletionStage<Report> run(BackupOptions o, boolean progress, ActorSystem system) throws IOException {
        return run(o, Optional.empty(), progress, system);
    }

    /**
     * @param archived when present, {@code o.backupDir()} is a WAL archive's path: the WAL goes into it segment by
     *                 segment as it is written (its segments holding only what was written), after the db and
     *                 .snap of a purged source; a WAL from index 1 goes alone, so every point of it stays restorable
     */
    static CompletionStage<Report> run(BackupOptions o, Optional<ArchiveTarget> archived, boolean progress,
                                       ActorSystem system) throws IOException {
        long start = System.nanoTime();
        if (!Files.isDirectory(o.walDir())) {
            throw new NoSuchFileException(o.walDir().toString(), null, "no WAL directory here");
        }
        for (Path target : Stream.of(Stream.of(o.backupDir()), o.backupWalDir().stream(), o.backend().stream())
                .flatMap(x -> x).toList()) {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "already exists; a backup never overwrites");
            }
        }
        // a running member's WAL and db change under the reader: refused whether or not etcd purged its WAL
        MemberLocks.refuseIfRunning(o.dataDir(), o.walDir());
        WalStart source = WalStart.read(o.walDir());
        boolean purged = source.firstIndex() > 1;
        Path temp = TempOutput.beside(o.backupDir());
        Path tempWal = MemberDir.of(temp).walDir();
        Path tempBackend = temp.resolve("backend.db.tmp");
        boolean copySnap = !purged && !o.policy().hasRules() && archived.isEmpty();
        WalMetadata fresh = new WalMetadata(randomId(), randomId());
        OptionalLong soleMember = o.policy().keepMembership() ? OptionalLong.empty()
                : OptionalLong.of(o.keepIds() ? source.metadata().nodeId() : fresh.nodeId());
        Config config = system.settings().config();
        // hooks are made (and a bad one refused) before anything is written
        BackupJob.Settings pass = BackupJob.Settings.create(o.walDir(), o.policy(), config)
                .withSoleMember(purged ? soleMember : OptionalLong.empty())
                .withReplayInto(o.backend().isPresent() && !purged ? Optional.of(tempBackend) : Optional.empty())
                .withHooks(Hooks.of(config, Hooks.BACKUP)).withProgress(progress);
        Executor blocking = system.dispatchers().lookup(BlockingIo.DISPATCHER);
        CompletionStage<Optional<BackupBase.Written>> based = CompletableFuture.supplyAsync(() -> {
            try {
                MemberDir.of(temp).createSnapDir();
                if (copySnap) {
                    copySnapDir(MemberDir.of(o.dataDir()).snapDir(), MemberDir.of(temp).snapDir());
                }
                return purged ? Optional.of(base(o, source, soleMember, MemberDir.of(temp).snapDir())) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking);
        AtomicReference<WalArchiveSink.Finished> archive = new AtomicReference<>();
        return based.thenCompose(base -> archived.isEmpty()
                        ? BackupJob.graph(pass, WalSink.toDirectory(tempWal, walSettings(o, fresh, config))).run(system)
                        .thenApply(r -> report(o, r, r.wal(), fresh, copySnap, base))
                        : BackupJob.graph(pass, archiveSink(o, archived.get(), temp, purged, fresh, config)).run(system)
                        .thenApply(r -> {
                            archive.set(r.wal());
                            return report(o, r, r.wal().wal(), fresh, copySnap, base);
                        }))
                .thenCompose(report -> purged && o.backend().isPresent()
                        // the backend of a purged source is what etcd starts from the backup: its db, then its WAL
                        ? Streams.starting(() -> DataDirReplay.run(temp, tempBackend, progress, system))
                                .thenApply(replayed -> report.withBackend(replayed.tail().replay()))
                        : CompletableFuture.completedFuture(report))
                // reading the backup back and renaming are blocking file work
                .thenApplyAsync(report -> publish(report, temp, tempWal, tempBackend,
                        Optional.ofNullable(archive.get()), start), blocking)
                .whenComplete((ok, failure) -> {
                    if (failure != null || archived.isPresent()) {
                        deleteTree(temp);
                    }
                    if (failure != null && archive.get() != null) {
                        try {
                            archive.get().archive().close();
                        } catch (IOException ignored) {
                            // named as ours: the next run beside the archive sweeps it
                        }
                    }
                });
    }

    /**
     * The db and .snap of a purged source: its history under the rules and the backup's membership. The WAL must
     * continue the db (etcd needs every entry after its consistent_index), and the newest .snap sets the index the
     * new one takes (the WAL's snapshot records name it).
     */
    private static BackupBase.Written base(BackupOptions o, WalStart source, OptionalLong soleMember, Path snapDir)
            throws IOException {
        if (!Files.isRegularFile(MemberDir.of(o.dataDir()).db())) {
            throw new VerificationException(o.walDir() + " starts at index " + source.firstIndex() + " (etcd purged "
                    + "older segments) and " + o.dataDir() + " has no member/snap/db, which holds the state before it: "
                    + "nothing to back up those entries from");
        }
        EtcdDataDir dir = EtcdDataDir.open(o.dataDir(), o.walDir());
        try (EtcdDb db = EtcdDb.open(dir.db(), SnapshotTrailer.Check.AUTO)) {
            dir.requireWalFrom(db.meta().consistentIndex());
        }
        SnapFile snap = dir.snap().orElseThrow(() -> new VerificationException(dir.dir() + ": the WAL is purged but "
                + "member/snap holds no .snap file, so etcd could not start from it either"));
        Optional<StateRecord.Member> sole = soleMember.isPresent()
                ? Optional.of(HistoryEdit.backupMember(soleMember.getAsLong())) : Optional.empty();
        ConfState conf = sole.map(m -> ConfState.of(List.of(m.id()), List.of())).orElse(snap.confState());
        return BackupBase.write(dir.db(), SnapshotTrailer.Check.AUTO, new HistoryEdit(o.policy(), sole, o.dropAuth()),
                snapDir, snap.term(), snap.index(), conf, sole.map(List::of).orElse(snap.members()));
    }

    /**
     * In place of a WAL directory: the WAL archive at the backup's path, a purged source's db and .snap first;
     * its WAL stays on disk only when a backend is to be replayed from the backup afterwards.
     */
    private static Sink<WalRecord, CompletionStage<WalArchiveSink.Finished>> archiveSink(
            BackupOptions o, ArchiveTarget archived, Path temp, boolean purged, WalMetadata fresh, Config config) {
        return WalArchiveSink.finishing(new WalArchiveSink.Target(
                o.backupDir(), archived.sealer(), MemberDir.of(temp).walDir(),
                purged ? Optional.of(MemberDir.of(temp).snapDir()) : Optional.empty(),
                o.keepIds() ? Optional.empty() : Optional.of(fresh), purged && o.backend().isPresent()), config);
    }

    private static WalSinkSettings walSettings(BackupOptions o, WalMetadata fresh, Config config) {
        WalSinkSettings settings = WalSinkSettings.create(config);
        return o.keepIds() ? settings : settings.withMetadata(fresh);
    }

    private static Report report(BackupOptions o, BackupJob.Report<?> r, WalWriteSummary wal, WalMetadata fresh,
                                 boolean copySnap, Optional<BackupBase.Written> base) {
        return new Report(o, r.log(), r.redaction(), wal, r.backend(), o.keepIds() ? null : fresh, copySnap, base,
                Optional.empty(), Duration.ZERO);
    }

    /** Checks the backup and moves it into place: its directory, or its archive (already self-tested). */
    private static Report publish(Report r, Path temp, Path tempWal, Path tempBackend,
                                  Optional<WalArchiveSink.Finished> archive, long start) {
        BackupOptions o = r.options();
        Optional<WalArchiveJob.Packed> packed = Optional.empty();
        try {
            if (o.verify()) {
                if (archive.isPresent()) {
                    BackupVerification.check(archive.get().archive().finished().meta(), r);
                } else {
                    BackupVerification.check(tempWal, r);
                }
            }
            if (o.backupWalDir().isPresent()) {
                PrivateFiles.createDirectories(o.backupWalDir().get().toAbsolutePath().getParent());
                Files.move(tempWal, o.backupWalDir().get());
            }
            if (o.backend().isPresent()) {
                Files.move(tempBackend, o.backend().get());
            }
            if (archive.isPresent()) {
                try (WalArchiveStream a = archive.get().archive()) {
                    packed = Optional.of(a.publish());
                }
            } else {
                Files.move(temp, o.backupDir(), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Report(o, r.log(), r.redaction(), r.wal(), r.backend(), r.metadata(), r.snapCopied(), r.base(),
                packed, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void copySnapDir(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (OutputStream out = PrivateFiles.newOutputStream(to.resolve(f.getFileName()),
                        StandardOpenOption.CREATE_NEW)) {
                    Files.copy(f, out);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException ignored) {
            // a leftover .tmp- directory is never at the published path
        }
    }

    static long randomId() {
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0);
        return id;
    }
}
