package dev.raftpipe.pipeline.builtin;

import dev.raftpipe.codecs.archive.ArchiveMeta;
import dev.raftpipe.codecs.archive.SealKey;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.pipeline.RaftpipeVersion;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import dev.raftpipe.pipeline.archive.WalArchiveSink;
import dev.raftpipe.pipeline.backup.RedactionRules;
import dev.raftpipe.pipeline.job.RestoreJob;
import dev.raftpipe.pipeline.job.SealJob;
import dev.raftpipe.pipeline.restore.InitialCluster;
import dev.raftpipe.pipeline.restore.MemberRestoreJob;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;
import dev.raftpipe.codecs.wal.WalExtent;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.BackendReplaySettings;
import dev.raftpipe.stages.BackendReplaySink;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.DbSink;
import dev.raftpipe.stages.DbSinkSettings;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.stages.DbSource;
import dev.raftpipe.stages.DbSourceSettings;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.codecs.digest.ContentDigest;
import dev.raftpipe.stages.Checksum;
import dev.raftpipe.stages.PointInTime;
import dev.raftpipe.stages.Redaction;
import dev.raftpipe.stages.SnapshotArchive;
import dev.raftpipe.stages.StateSource;
import dev.raftpipe.stages.WalSink;
import dev.raftpipe.stages.WalSinkSettings;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import dev.raftpipe.store.RestoreOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** The stages raftpipe ships, by the names pipeline files use. */
public final class BuiltInStages {
    private BuiltInStages() {
    }

    public static final class WalSourceStage implements StageFactory {
        public String name() {
            return "wal-source";
        }

        public Stage create(StageSettings s) {
            Path dir = s.path("dir");
            return new Stage.SourceStage(Payload.WAL_RECORDS, WalSource.fromDirectory(dir,
                    WalSourceSettings.create(s.launcherConfig())), () -> WalExtent.bytes(dir));
        }
    }

    public static final class ResolveStage implements StageFactory {
        public String name() {
            return "resolve";
        }

        public Stage create(StageSettings s) {
            return new Stage.FlowStage(Payload.WAL_RECORDS, Payload.RESOLVED_LOG,
                    RaftLog.resolve(RaftLogSettings.create(s.launcherConfig())));
        }
    }

    public static final class RedactStage implements StageFactory {
        public String name() {
            return "redact";
        }

        public Stage create(StageSettings s) {
            RedactionRules rules = new RedactionRules(s.strings("redact-prefixes"), s.strings("mask-prefixes"),
                    s.optionalPath("rules-file"), s.flag("keep-membership", false));
            // an empty mask-key is no key (a policy that masks nothing has none)
            Optional<byte[]> hex = s.has("mask-key") && !s.string("mask-key").isEmpty()
                    ? Optional.of(hexKey(s, "mask-key")) : Optional.empty();
            RedactionPolicy policy;
            try {
                policy = rules.resolve(hex, s.optionalPath("mask-key-file"), RedactionRules.WithoutKey.REFUSE).policy();
            } catch (RedactionRules.Invalid e) {
                throw s.invalid(e.setting(), e.getMessage());
            } catch (IOException e) {
                throw s.invalid("mask-key-file", e.getMessage());
            }
            OptionalLong soleMember = s.has("sole-member")
                    ? OptionalLong.of(id(s, "sole-member")) : OptionalLong.empty();
            return new Stage.FlowStage(Payload.WAL_RECORDS, passedOn(s), Redaction.flow(policy, soleMember));
        }
    }

    /** Passes any payload through and digests its content ({@code algorithm}: sha-256, crc32c). */
    public static final class ChecksumStage implements StageFactory {
        public String name() {
            return "checksum";
        }

        public Stage create(StageSettings s) {
            Payload payload = s.receives().orElseThrow(() -> s.invalid("stage", "checksum is not a source"));
            ContentDigest.Algorithm algorithm;
            try {
                algorithm = ContentDigest.Algorithm.of(s.has("algorithm") ? s.string("algorithm") : "sha-256");
            } catch (IllegalArgumentException e) {
                throw s.invalid("algorithm", e.getMessage());
            }
            return new Stage.FlowStage(payload, payload, Checksum.flow(algorithm));
        }
    }

    /** Point-in-time: the resolved log cut right after entry {@code index}. */
    public static final class ToIndexStage implements StageFactory {
        public String name() {
            return "to-index";
        }

        public Stage create(StageSettings s) {
            long index = s.longValue("index");
            if (index < 1) {
                throw s.invalid("index", "an index of 1 or more");
            }
            return new Stage.FlowStage(Payload.RESOLVED_LOG, Payload.RESOLVED_LOG, PointInTime.upToIndex(index));
        }
    }

    public static final class WalSinkStage implements StageFactory {
        public String name() {
            return "wal-sink";
        }

        public Stage create(StageSettings s) {
            WalSinkSettings settings = WalSinkSettings.create(s.launcherConfig());
            if (s.has("preallocate")) {
                // off for a WAL that is archived: segments hold only what was written
                settings = settings.withPreallocate(s.flag("preallocate", true));
            }
            if (s.has("node-id") || s.has("cluster-id")) {
                settings = settings.withMetadata(new WalMetadata(id(s, "node-id"), id(s, "cluster-id")));
            }
            return new Stage.SinkStage(Payload.WAL_RECORDS, WalSink.toDirectory(s.path("dir"), settings));
        }
    }

    public static final class ReplaySinkStage implements StageFactory {
        public String name() {
            return "replay-sink";
        }

        public Stage create(StageSettings s) {
            BackendReplaySettings settings = BackendReplaySettings.create(s.launcherConfig());
            if (s.has("to-revision")) {
                long revision = s.longValue("to-revision");
                if (revision < 1) {
                    throw s.invalid("to-revision", "a revision of 1 or more");
                }
                settings = settings.withMaxRevision(revision);
            }
            return new Stage.SinkStage(Payload.RESOLVED_LOG, BackendReplaySink.to(s.path("backend"), settings));
        }
    }

    public static final class StateSourceStage implements StageFactory {
        public String name() {
            return "state-source";
        }

        public Stage create(StageSettings s) {
            Path backend = s.path("backend");
            return new Stage.SourceStage(Payload.STATE_RECORDS, StateSource.fromBackend(backend),
                    () -> SealJob.recordCount(backend));
        }
    }

    /**
     * etcd's db or an etcdctl snapshot file: its live state (meta, members, leases, keys by key), or with
     * {@code history = true} every stored revision in revision order, with an ETA from the db's used size.
     */
    public static final class DbSourceStage implements StageFactory {
        public String name() {
            return "db-source";
        }

        public Stage create(StageSettings s) {
            Path file = s.path("file");
            DbSourceSettings settings = DbSourceSettings.create(s.launcherConfig());
            if (s.flag("skip-hash-check", false)) {
                settings = settings.withTrailerCheck(SnapshotTrailer.Check.SKIP);
            }
            if (s.flag("history", false)) {
                return new Stage.SourceStage(Payload.KEY_REVISIONS, DbSource.history(file, settings), () -> {
                    try (EtcdDb db = EtcdDb.open(file, SnapshotTrailer.Check.SKIP)) {
                        return OptionalLong.of(db.bolt().usedSize());
                    } catch (IOException | RuntimeException e) {
                        return OptionalLong.empty(); // no ETA; the source itself reports what is wrong
                    }
                });
            }
            return new Stage.SourceStage(Payload.STATE_RECORDS, DbSource.state(file, settings));
        }
    }

    /** State records written as an etcd db, or an etcdctl snapshot file (the default), that etcd's tools open. */
    public static final class DbSinkStage implements StageFactory {
        public String name() {
            return "db-sink";
        }

        public Stage create(StageSettings s) {
            DbSinkSettings settings = DbSinkSettings.create(s.launcherConfig())
                    .withSnapshotTrailer(s.flag("snapshot-trailer", true));
            if (s.has("etcd-version")) {
                try {
                    settings = settings.withEtcdVersion(Optional.of(EtcdVersion.of(s.string("etcd-version"))));
                } catch (IllegalArgumentException e) {
                    throw s.invalid("etcd-version", e.getMessage());
                }
            }
            return new Stage.SinkStage(Payload.STATE_RECORDS, DbSink.toFile(s.path("file"), settings));
        }
    }

    /** State records as a member's data dir that etcd starts from, as {@code restore --etcd-data-dir} writes it. */
    public static final class EtcdDataDirSinkStage implements StageFactory {
        public String name() {
            return "etcd-data-dir-sink";
        }

        public Stage create(StageSettings s) {
            long bump = s.has("bump-revision") ? s.longValue("bump-revision") : 0;
            if ((bump > 0) != s.flag("mark-compacted", false)) {
                throw s.invalid("bump-revision", "bump-revision (> 0) and mark-compacted go together");
            }
            try {
                InitialCluster cluster = InitialCluster.parse(s.string("initial-cluster"),
                        s.has("initial-cluster-token") ? s.string("initial-cluster-token") : InitialCluster.DEFAULT_TOKEN);
                cluster.member(s.string("name"));
                Optional<EtcdVersion> layout = s.has("etcd-version")
                        ? Optional.of(EtcdVersion.of(s.string("etcd-version"))) : Optional.empty();
                return new Stage.SinkStage(Payload.STATE_RECORDS, MemberRestoreJob.sink(new MemberRestoreJob.Settings(
                        s.path("dir"), s.string("name"), cluster, s.optionalPath("etcd-wal-dir"), layout, bump,
                        s.flag("allow-downgrade", false))));
            } catch (IllegalArgumentException e) {
                throw s.invalid("initial-cluster", e.getMessage());
            }
        }
    }

    public static final class ArchiveSinkStage implements StageFactory {
        public String name() {
            return "archive-sink";
        }

        public Stage create(StageSettings s) {
            ArchiveSettings settings = ArchiveSettings.create(s.launcherConfig()).withSealer(sealing(s))
                    .withSelfTest(s.flag("self-test", true))
                    .withProducer(RaftpipeVersion.producer())
                    .withSource(s.has("source") ? s.string("source") : ArchiveMeta.FROM_BACKEND);
            if (s.has("cluster-id")) {
                settings = settings.withClusterId(OptionalLong.of(id(s, "cluster-id")));
            }
            return new Stage.SinkStage(Payload.STATE_RECORDS, SnapshotArchive.sink(s.path("out"), settings));
        }
    }

    /** WAL records as one WAL archive ({@code out}, {@code seal} with {@code key-file}). */
    public static final class WalArchiveSinkStage implements StageFactory {
        public String name() {
            return "wal-archive-sink";
        }

        public Stage create(StageSettings s) {
            return new Stage.SinkStage(Payload.WAL_RECORDS, WalArchiveSink.to(
                    s.path("out"), sealing(s), s.launcherConfig()));
        }
    }

    public static final class ArchiveSourceStage implements StageFactory {
        public String name() {
            return "archive-source";
        }

        public Stage create(StageSettings s) {
            Path archive = s.path("archive");
            ArchiveSettings settings = ArchiveSettings.create(s.launcherConfig()).withSealer(opening(s, archive));
            return new Stage.SourceStage(Payload.STATE_RECORDS, SnapshotArchive.source(archive,
                    settings.withVerifyFirst(s.flag("verify-first", settings.verifyFirst()))),
                    () -> RestoreJob.recordCount(archive));
        }
    }

    public static final class RestoreSinkStage implements StageFactory {
        public String name() {
            return "restore-sink";
        }

        public Stage create(StageSettings s) {
            return new Stage.SinkStage(Payload.STATE_RECORDS, BackendRestoreSink.to(s.path("backend"),
                    RestoreOptions.defaults().withForce(s.flag("force", false))));
        }
    }

    /** {@code seal} and {@code key-file} as {@link ArchiveKey} reads them, for sealing. */
    private static Optional<Sealer> sealing(StageSettings s) {
        try {
            return archiveKey(s).sealing(ArchiveKey.SETTINGS);
        } catch (ArchiveKey.Invalid e) {
            throw s.invalid(e.setting(), e.getMessage());
        }
    }

    /** The same for opening {@code archive}: a key file alone means the archive's own sealer kind. */
    private static Optional<Sealer> opening(StageSettings s, Path archive) {
        ArchiveKey key = archiveKey(s);
        try {
            return key.opening(archive, ArchiveKey.SETTINGS);
        } catch (ArchiveKey.Invalid e) {
            throw s.invalid(e.setting(), e.getMessage());
        } catch (IOException unreadable) {
            return key.openingUnread(ArchiveKey.SETTINGS); // the source reports the file
        }
    }

    private static ArchiveKey archiveKey(StageSettings s) {
        return new ArchiveKey(s.has("seal") ? Optional.of(s.string("seal")) : Optional.empty(),
                s.optionalPath("key-file"));
    }

    private static byte[] hexKey(StageSettings s, String setting) {
        try {
            return SealKey.fromHex(s.string(setting));
        } catch (IllegalArgumentException e) {
            throw s.invalid(setting, e.getMessage());
        }
    }

    /** What a pass-through stage of WAL records produces: a resolved log stays one. */
    private static Payload passedOn(StageSettings s) {
        return s.receives().filter(p -> p == Payload.RESOLVED_LOG).orElse(Payload.WAL_RECORDS);
    }

    /** A node or cluster ID in hex, as etcd prints them. */
    private static long id(StageSettings s, String setting) {
        if (!s.has(setting)) {
            throw s.invalid(setting, "node-id and cluster-id go together");
        }
        try {
            return NodeIds.parse(s.string(setting));
        } catch (NumberFormatException e) {
            throw s.invalid(setting, "not a hex ID: " + s.string(setting));
        }
    }
}
