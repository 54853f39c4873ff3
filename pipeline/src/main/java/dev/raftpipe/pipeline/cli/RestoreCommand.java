package dev.raftpipe.pipeline.cli;

import dev.raftpipe.codecs.archive.WalArchiveReader;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import dev.raftpipe.pipeline.archive.WalArchiveRestore;
import dev.raftpipe.pipeline.job.StopAt;
import dev.raftpipe.pipeline.job.TailReplay;
import dev.raftpipe.pipeline.location.Place;
import dev.raftpipe.pipeline.location.Staging;
import dev.raftpipe.pipeline.replay.ReplayReportJson;
import dev.raftpipe.pipeline.restore.InitialCluster;
import dev.raftpipe.pipeline.restore.MemberRestoreJob;
import dev.raftpipe.pipeline.restore.MemberRestoreReportJson;
import dev.raftpipe.pipeline.source.SourceKind;
import dev.raftpipe.pipeline.source.StateSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "restore", mixinStandardHelpOptions = true,
        header = "Restore a verified snapshot archive into a backend or a member's data dir.",
        description = {"Restore a backend from a snapshot archive. The archive is verified first;",
                "nothing is restored from one that fails (exit 2). The backend is built beside",
                "<backend> and renamed onto it. A backend that has applied more than the archive",
                "holds is not replaced without --force. With --wal-dir (a directory or a WAL",
                "archive), the WAL's entries after the archive's index are then replayed",
                "through the applied_index guard; --to-index / --to-revision stop at a point in",
                "time (into a new backend or member). A WAL archive (backup --archive) is",
                "replayed as etcd starts from it, its db first when it holds one."},
        footer = {"", "Examples:",
                "  raftpipe restore etcd.snap --backend etcd.db",
                "  raftpipe restore etcd.snap --backend etcd.db --key-file key --wal-dir /var/lib/etcd/member/wal",
                "  raftpipe restore etcd.snap --wal-dir etcd-wal.walsnap --to-index 120345 --backend at-120345.db",
                "  raftpipe restore etcd-wal.walsnap --to-revision 88000 --backend at-88000.db",
                "  raftpipe restore etcd.snap --etcd-data-dir /var/lib/etcd-new --name m1 \\",
                "      --initial-cluster m1=https://10.0.0.1:2380,m2=https://10.0.0.2:2380 --initial-cluster-token prod-2"})
final class RestoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<source>", description = {"The archive; with --etcd-data-dir also a backend, a stopped "
            + "member's data dir or an etcd db / etcdctl snapshot file. An archive or snapshot file may be an "
            + "s3://bucket/key object (copied to a private temporary file first)."})
    Place source;

    private Path archive;

    @Option(names = "--backend", paramLabel = "<file.db>", description = "The backend to restore.")
    Path backend;

    @Option(names = "--etcd-data-dir", paramLabel = "<dir>", description = {"Make a member's data dir that etcd "
            + "starts from, as etcdutl snapshot restore does (the directory may exist, empty)."})
    Path etcdDataDir;

    @Option(names = "--name", paramLabel = "<member>", description = "With --etcd-data-dir: this member's name.")
    String name;

    @Option(names = "--initial-cluster", paramLabel = "<name=url,...>", description = "With --etcd-data-dir: the new "
            + "cluster's members and peer URLs.")
    String initialCluster;

    @Option(names = "--initial-advertise-peer-urls", paramLabel = "<urls>", description = "With --etcd-data-dir: this "
            + "member's peer URLs (must match --initial-cluster).")
    String advertisePeerUrls;

    @Option(names = "--initial-cluster-token", paramLabel = "<token>", defaultValue = InitialCluster.DEFAULT_TOKEN,
            description = "With --etcd-data-dir: the token member and cluster IDs derive from (default: ${DEFAULT-VALUE}).")
    String token;

    @Option(names = "--etcd-wal-dir", paramLabel = "<dir>", description = "With --etcd-data-dir: put the WAL here "
            + "(etcdutl's --wal-dir; raftpipe's --wal-dir is a WAL tail to apply).")
    Path etcdWalDir;

    @Option(names = "--etcd-version", paramLabel = "3.4|3.5", description = "With --etcd-data-dir: the layout to "
            + "write (default: the version the state came from, else 3.5).")
    String etcdVersion;

    @Option(names = "--bump-revision", paramLabel = "<N>", description = "With --mark-compacted: move the revision "
            + "N ahead and mark it compacted, so watchers (Kubernetes) see it move forward.")
    long bumpRevision;

    @Option(names = "--mark-compacted", description = "Goes with --bump-revision, as etcdutl requires.")
    boolean markCompacted;

    @Option(names = "--skip-hash-check", description = "For an etcd snapshot file as the source: do not check its trailer.")
    boolean skipHashCheck;

    @Option(names = "--allow-downgrade", description = {"With --etcd-version 3.4: restore a state that came from etcd 3.5 "
            + "(its db loses term and confState; its cluster version is one 3.4 does not know)."})
    boolean allowDowngrade;

    @Option(names = "--wal-dir", paramLabel = "<dir>", description = "Continue with this WAL's later entries.")
    Path walDir;

    @Mixin
    PointInTimeOptions pointInTime = new PointInTimeOptions();

    @Option(names = "--force", description = "Replace a backend even if it is ahead of the archive.")
    boolean force;

    @Option(names = "--allow-other-cluster", description = "With --wal-dir: apply a WAL of another etcd cluster than the one the backend holds (refused by default).")
    boolean allowOtherCluster;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    SealOptions seal = new SealOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        if ((backend == null) == (etcdDataDir == null)) {
            throw new UsageException("give --backend (a raftpipe backend) or --etcd-data-dir (an etcd member), one of them");
        }
        try (Staging staging = Staging.create(common.load(), common.progress())) {
            archive = staging.read(source);
            return restore();
        }
    }

    private static void print(String report) {
        System.out.print(StagedNames.withUserNames(report));
    }

    private int restore() throws Exception {
        StopAt stop = pointInTime.stopAt();
        TailReplay tail = TailReplay.upTo(stop).withAllowOtherCluster(allowOtherCluster);
        if (WalArchiveReader.isWalArchive(archive)) {
            return restoreWalArchive(tail);
        }
        if (stop.isSet() && (walDir == null || force)) {
            throw new UsageException("--to-index and --to-revision need --wal-dir (the archive holds one point in time; "
                    + "its WAL the later ones) and build something new (no --force)");
        }
        if (walDir != null && Files.isRegularFile(walDir)) {
            return restoreWithArchivedTail(tail);
        }
        if (etcdDataDir != null) {
            return restoreMember(tail);
        }
        ArchiveKey key = seal.openingKey(archive);
        ArchiveJobs.Restored restored = Streams.run(common.load(), system -> ArchiveJobs.restore(archive, backend, force,
                Optional.ofNullable(walDir), tail, key, common.progress(), system));
        var report = ArchiveReportJson.restored(restored);
        print(json ? report + "\n" : ArchiveReportJson.text(report));
        return ExitCodes.OK;
    }

    /** --etcd-data-dir's settings, checked: --name, --initial-cluster and the rest. */
    private MemberRestoreJob.Settings memberSettings() {
        if (name == null || initialCluster == null) {
            throw new UsageException("--etcd-data-dir needs --name and --initial-cluster");
        }
        if (force) {
            throw new UsageException("--force goes with --backend");
        }
        if ((bumpRevision > 0) != markCompacted || bumpRevision < 0) {
            throw new UsageException("--bump-revision N (N > 0) and --mark-compacted go together, as etcdutl's");
        }
        InitialCluster cluster;
        Optional<EtcdVersion> layout;
        try {
            cluster = InitialCluster.parse(initialCluster, token);
            var self = cluster.member(name);
            if (advertisePeerUrls != null && !Arrays.stream(advertisePeerUrls.split(",")).map(String::trim)
                    .sorted().toList().equals(self.peerUrls())) {
                throw new UsageException("--initial-advertise-peer-urls " + advertisePeerUrls + " differ from " + name
                        + "'s in --initial-cluster " + self.peerUrls());
            }
            layout = etcdVersion == null ? Optional.empty() : Optional.of(EtcdVersion.of(etcdVersion));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new MemberRestoreJob.Settings(etcdDataDir, name, cluster, Optional.ofNullable(etcdWalDir), layout,
                bumpRevision, allowDowngrade);
    }

    /** A WAL archive: replayed as etcd would start from it (its db first), into a backend or a member's data dir. */
    private int restoreWalArchive(TailReplay tail) throws Exception {
        if (walDir != null || force) {
            throw new UsageException("a WAL archive is the WAL itself: no --wal-dir, no --force");
        }
        var sealer = seal.forOpening(archive);
        if (etcdDataDir != null) {
            var settings = memberSettings();
            MemberRestoreJob.Report r = Streams.run(common.load(), system -> MemberRestoreJob.runFromWalArchive(archive, tail,
                    sealer, settings, common.progress(), system));
            var o = MemberRestoreReportJson.of(r);
            print(json ? o + "\n" : ArchiveReportJson.text(o));
            return ExitCodes.OK;
        }
        WalArchiveRestore.Report r = Streams.run(common.load(), system -> WalArchiveRestore.toBackend(archive, backend, tail,
                sealer, common.progress(), system));
        var o = ReplayReportJson.of(r.replay());
        o.remove("wal_dir"); // extracted for the replay, and gone
        o.put("archive", archive.toString());
        o.put("archive_kind", "wal");
        print(json ? o + "\n" : ReplayReportJson.text(r.replay()));
        return ExitCodes.OK;
    }

    /** A state archive continued by a WAL archive's WAL (both of one cluster: a backup made with --keep-ids). */
    private int restoreWithArchivedTail(TailReplay tail) throws Exception {
        if (!WalArchiveReader.isWalArchive(walDir)) {
            throw new UsageException("--wal-dir " + walDir + ": a file, but not a WAL archive");
        }
        if (etcdDataDir != null) {
            throw new UsageException("a WAL archive as --wal-dir goes with --backend");
        }
        ArchiveKey key = seal.openingKey(archive);
        var tailSealer = seal.forOpening(walDir);
        ArchiveJobs.Restored restored = Streams.run(common.load(), system -> WalArchiveRestore.withWal(walDir, backend,
                tailSealer, system, wal -> Streams.starting(() -> ArchiveJobs.restore(archive, backend, force,
                        Optional.of(wal), tail, key, common.progress(), system))));
        var report = ArchiveReportJson.restored(restored);
        print(json ? report + "\n" : ArchiveReportJson.text(report));
        return ExitCodes.OK;
    }

    private int restoreMember(TailReplay tail) throws Exception {
        var settings = memberSettings();
        MemberRestoreJob.Report r;
        if (walDir != null) {
            if (SourceKind.of(archive) != SourceKind.ARCHIVE) {
                throw new UsageException("--wal-dir continues an archive: give an archive as the source");
            }
            ArchiveKey key = seal.openingKey(archive);
            r = Streams.run(common.load(), system -> MemberRestoreJob.runWithTail(archive, walDir, tail, key, settings,
                    common.progress(), system));
        } else {
            var read = new StateSources.Reading(seal.forOpeningIfGiven(archive),
                    SnapshotTrailer.Check.forNamedFile(archive, skipHashCheck));
            r = Streams.run(common.load(), system -> MemberRestoreJob.run(archive, read, settings, common.progress(),
                    system));
        }
        var o = MetaFallbackWarnings.addTo(MemberRestoreReportJson.of(r));
        print(json ? o + "\n" : ArchiveReportJson.text(o));
        return ExitCodes.OK;
    }
}
