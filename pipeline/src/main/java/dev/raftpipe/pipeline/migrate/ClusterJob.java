package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.pipeline.job.SealJob;
import dev.raftpipe.codecs.io.PrivateFiles;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.raftpipe.codecs.archive.ArchiveSidecar;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.store.Backend;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import dev.raftpipe.pipeline.archive.EtcdSourceSeal;
import dev.raftpipe.pipeline.archive.SealTarget;
import dev.raftpipe.pipeline.location.SnapshotLocation;
import dev.raftpipe.pipeline.source.StateSources;
import dev.raftpipe.pipeline.restore.InitialCluster;
import dev.raftpipe.pipeline.restore.MemberRestoreJob;
import dev.raftpipe.pipeline.backup.Backup;
import dev.raftpipe.pipeline.backup.BackupOptions;
import dev.raftpipe.pipeline.backup.RedactionRules;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.pipeline.job.ReplayJob;
import dev.raftpipe.pipeline.replay.SnapshotReplay;
import dev.raftpipe.pipeline.run.PipelineFile;
import dev.raftpipe.pipeline.run.PipelineRun;
import dev.raftpipe.stages.BlockingIo;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Runs one cluster's job of a plan with the same pipelines as the single-cluster commands, so that
 * their outputs are the same. Progress is not drawn per job: many run at once.
 */
public final class ClusterJob {
    private ClusterJob() {
    }

    /**
     * Starts the job; with {@code resume}, first removes what an interrupted attempt may have left: the
     * {@code .tmp-} files of every output and, for jobs that publish atomically, the published outputs
     * themselves (the coordinator checked they did not exist when the cluster first started).
     */
    public static CompletionStage<JobResult> start(ClusterSpec spec, boolean resume, ActorSystem system) {
        Executor blocking = system.dispatchers().lookup(BlockingIo.DISPATCHER);
        return CompletableFuture.runAsync(() -> {
            if (resume) {
                cleanUp(spec);
            }
            createParents(spec);
        }, blocking).thenComposeAsync(v -> {
            try {
                return begin(spec, system);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }, blocking);
    }

    /** The paths a job publishes; a fresh start of a job that publishes atomically needs them all absent. */
    public static List<Path> outputs(ClusterSpec spec) {
        if (isMemberRestore(spec)) {
            // the target may be an existing (mount point) directory: what the job publishes is its member/
            return List.of(MemberDir.of(spec.target()).path());
        }
        List<Path> out = new ArrayList<>(List.of(spec.target()));
        if (spec.job() == JobKind.BACKUP && spec.has("backend")) {
            out.add(spec.path("backend"));
        }
        if (spec.job() == JobKind.SEAL) {
            out.add(ArchiveSidecar.of(spec.target()));
        }
        return out;
    }

    private static CompletionStage<JobResult> begin(ClusterSpec spec, ActorSystem system) throws Exception {
        Config config = system.settings().config();
        return switch (spec.job()) {
            case BACKUP -> Backup.run(backupOptions(spec), false, system)
                    .thenApply(r -> new JobResult(r.log().entries(), r.wal().bytesWritten()));
            case REPLAY -> replay(spec, system);
            case SEAL -> seal(spec, system);
            case RESTORE -> restore(spec, system);
            case PIPELINE -> pipeline(spec, system, config);
        };
    }

    private static BackupOptions backupOptions(ClusterSpec spec) throws IOException {
        RedactionRules.Resolved rules = new RedactionRules(strings(spec, "redact-prefixes"),
                strings(spec, "mask-prefixes"), spec.has("rules-file") ? Optional.of(spec.path("rules-file"))
                : Optional.empty(), spec.flag("keep-membership", false))
                .resolve(Optional.empty(), spec.has("mask-key-file") ? Optional.of(spec.path("mask-key-file"))
                        : Optional.empty(), RedactionRules.WithoutKey.REFUSE);
        Path walDir = spec.has("wal-dir") ? spec.path("wal-dir") : MemberDir.of(spec.source()).walDir();
        return new BackupOptions(spec.source(), walDir, spec.target(), Optional.empty(),
                spec.has("backend") ? Optional.of(spec.path("backend")) : Optional.empty(),
                rules.policy(), false,
                spec.flag("keep-ids", false), spec.flag("verify", true), spec.flag("drop-auth", false));
    }

    /**
     * A member's data dir as etcd starts from it (its WAL may be purged), an etcd snapshot (a file or a running
     * member's), else a WAL from index 1.
     */
    private static CompletionStage<JobResult> replay(ClusterSpec spec, ActorSystem system) throws IOException {
        Optional<SnapshotLocation> snapshot = snapshotOf(spec, system);
        if (snapshot.isPresent()) {
            return SnapshotReplay.run(snapshot.get(), spec.target(), false, system).thenApply(ClusterJob::replayed);
        }
        if (isDataDir(spec.source())) {
            return DataDirReplay.run(spec.source(), spec.target(), false, system)
                    .thenApply(r -> new JobResult(r.tail().replay().applied(), r.tail().read().bytesRead()));
        }
        return ReplayJob.run(walDirOf(spec.source()), spec.target(), false, system)
                .thenApply(r -> new JobResult(r.replay().applied(), r.read().bytesRead()));
    }

    private static JobResult replayed(SnapshotReplay.Report r) {
        return new JobResult(r.restore().counts().keys(), r.bytes());
    }

    /** The plan entry's source as an etcd snapshot: a running member, or a bbolt file; empty for anything else. */
    private static Optional<SnapshotLocation> snapshotOf(ClusterSpec spec, ActorSystem system) throws IOException {
        if (spec.endpoint().isPresent()) {
            return Optional.of(new SnapshotLocation.Member(spec.endpoint().get().settings(system.settings().config())));
        }
        if (Files.isRegularFile(spec.source()) && EtcdDb.isBolt(spec.source())) {
            return Optional.of(new SnapshotLocation.File(spec.source(), spec.flag("skip-hash-check", false)
                    ? SnapshotTrailer.Check.SKIP : SnapshotTrailer.Check.REQUIRED));
        }
        return Optional.empty();
    }

    private static CompletionStage<JobResult> seal(ClusterSpec spec, ActorSystem system) throws IOException {
        ArchiveKey key = archiveKey(spec);
        Optional<SnapshotLocation> snapshot = snapshotOf(spec, system);
        if (snapshot.isPresent()) {
            return EtcdSourceSeal.snapshot(snapshot.get(), SealTarget.file(spec.target()), key, true, false, system)
                    .thenApply(ClusterJob::sealed);
        }
        if (Files.isRegularFile(spec.source())) {
            return ArchiveJobs.seal(spec.source(), SealTarget.file(spec.target()), key, true, false, system).thenApply(ClusterJob::sealed);
        }
        if (isDataDir(spec.source())) {
            return EtcdSourceSeal.dataDir(spec.source(), SealTarget.file(spec.target()), key, true, false, system)
                    .thenApply(ClusterJob::sealed);
        }
        // a WAL: replayed into a scratch backend beside the target, sealed, then removed
        Path scratch = ScratchBackend.beside(spec.target());
        return ScratchBackend.removedAfter(scratch, ReplayJob.run(walDirOf(spec.source()), scratch, false, system)
                        .thenCompose(r -> Streams.starting(() -> ArchiveJobs.seal(scratch, SealTarget.file(spec.target()), key, true,
                                false, system))))
                .thenApply(ClusterJob::sealed);
    }

    private static JobResult sealed(SealJob.Report s) {
        return new JobResult(s.summary().meta().counts().keys(), s.summary().archiveBytes());
    }

    private static boolean isMemberRestore(ClusterSpec spec) {
        return spec.job() == JobKind.RESTORE && spec.has("initial-cluster");
    }

    /** {@code restore --etcd-data-dir}: the member (default: the cluster's name) of the plan's initial cluster. */
    private static CompletionStage<JobResult> restoreMember(ClusterSpec spec, ActorSystem system) throws IOException {
        InitialCluster cluster = InitialCluster.parse(spec.settings().getString("initial-cluster"),
                spec.has("initial-cluster-token") ? spec.settings().getString("initial-cluster-token")
                        : InitialCluster.DEFAULT_TOKEN);
        Optional<EtcdVersion> layout = spec.has("etcd-version")
                ? Optional.of(EtcdVersion.of(spec.settings().getString("etcd-version"))) : Optional.empty();
        long bump = spec.has("bump-revision") ? spec.settings().getLong("bump-revision") : 0;
        if ((bump > 0) != spec.flag("mark-compacted", false)) {
            throw new IllegalArgumentException("bump-revision and mark-compacted go together");
        }
        Optional<Sealer> opening = archiveKey(spec).opening(spec.source(), ArchiveKey.SETTINGS);
        String member = spec.has("member") ? spec.settings().getString("member") : spec.name();
        long size = Files.isRegularFile(spec.source()) ? Files.size(spec.source()) : 0;
        return MemberRestoreJob.run(spec.source(), new StateSources.Reading(opening,
                        SnapshotTrailer.Check.forNamedFile(spec.source(), spec.flag("skip-hash-check", false))),
                new MemberRestoreJob.Settings(spec.target(), member, cluster, Optional.empty(), layout, bump,
                        spec.flag("allow-downgrade", false)), false, system)
                .thenApply(r -> new JobResult(r.db().written().liveKeys(), size));
    }

    private static CompletionStage<JobResult> restore(ClusterSpec spec, ActorSystem system)
            throws IOException {
        if (isMemberRestore(spec)) {
            return restoreMember(spec, system);
        }
        ArchiveKey key = archiveKey(spec);
        long size = Files.size(spec.source());
        Optional<Path> tail = spec.has("wal-dir") ? Optional.of(walDirOf(spec.path("wal-dir"))) : Optional.empty();
        return ArchiveJobs.restore(spec.source(), spec.target(), false, tail, key, false, system)
                .thenApply(r -> new JobResult(r.restore().counts().keys(), size));
    }

    private static CompletionStage<JobResult> pipeline(ClusterSpec spec, ActorSystem system, Config config)
            throws IOException {
        Config variables = ConfigFactory.empty().withValue("cluster", ConfigValueFactory.fromMap(Map.of(
                "name", spec.name(), "source", spec.source().toString(), "target", spec.target().toString())));
        Optional<Path> plugins = spec.has("plugins") ? Optional.of(spec.path("plugins")) : Optional.empty();
        PipelineRun.Checked checked = PipelineRun.check(PipelineFile.load(spec.path("pipeline"), variables), config, plugins);
        return PipelineRun.run(checked, system, Optional.empty()).thenApply(reports -> new JobResult(0, 0));
    }

    private static ArchiveKey archiveKey(ClusterSpec spec) {
        return new ArchiveKey(spec.has("seal") ? Optional.of(spec.settings().getString("seal")) : Optional.empty(),
                spec.has("key-file") ? Optional.of(spec.path("key-file")) : Optional.empty());
    }

    /** A member's data dir with its db: replayed and sealed as etcd would start from it. */
    static boolean isDataDir(Path source) {
        return Files.isRegularFile(MemberDir.of(source).db());
    }

    /** A data dir's WAL (member/wal), or the directory itself. */
    static Path walDirOf(Path source) {
        Path member = MemberDir.of(source).walDir();
        return Files.isDirectory(member) ? member : source;
    }

    private static List<String> strings(ClusterSpec spec, String key) {
        return spec.has(key) ? spec.settings().getStringList(key) : List.of();
    }

    static void cleanUp(ClusterSpec spec) {
        List<Path> outputs = new ArrayList<>(outputs(spec));
        for (Path out : outputs) {
            if (spec.job().publishesAtomically()) {
                deleteTree(out);
                deleteBackendFiles(out); // a stale -wal beside a new database file would be replayed into it
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                continue;
            }
            String prefix = out.getFileName() + ".tmp-";
            try (Stream<Path> siblings = Files.list(parent)) {
                siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(ClusterJob::deleteTree);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A plan's target-dir need not exist yet: every output's directory is made before the job starts. */
    private static void createParents(ClusterSpec spec) {
        for (Path out : outputs(spec)) {
            Path parent = out.toAbsolutePath().getParent();
            try {
                if (parent != null) {
                    PrivateFiles.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void deleteBackendFiles(Path db) {
        try {
            Backend.delete(db);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
