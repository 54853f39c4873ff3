package dev.raftpipe.pipeline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.pipeline.backup.RedactionRules;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import dev.raftpipe.pipeline.backup.ArchivedBackup;
import dev.raftpipe.pipeline.backup.Backup;
import dev.raftpipe.pipeline.backup.BackupOptions;
import dev.raftpipe.pipeline.backup.BackupReportJson;
import dev.raftpipe.pipeline.backup.SnapshotBackup;
import org.apache.pekko.actor.ActorSystem;
import dev.raftpipe.pipeline.location.Place;
import dev.raftpipe.pipeline.location.Staging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

@Command(name = "backup", mixinStandardHelpOptions = true,
        header = "Back up an etcd member into a new data dir etcd starts from, optionally redacted.",
        description = {"Back up an etcd data dir, an etcdctl snapshot file or a running member into a",
                "new data dir etcd starts from (with --force-new-cluster), redacting as told.",
                "WAL entries are rewritten, never removed: a redacted entry becomes a no-op",
                "with the same index and term, so every index and consistent_index stays true.",
                "A purged data dir (its WAL no longer starts at index 1) and a snapshot keep",
                "their state in the db: it is written fresh with the rules applied to every",
                "stored revision (values masked; dropped keys' revisions left out, an empty",
                "placeholder keeping the revision where they were the newest); v2 data other",
                "than membership is left out. Fresh node and cluster IDs and one member named",
                "etcdctl-v2-backup, as etcdutl's backup, unless --keep-ids / --keep-membership."},
        footer = {"", "Examples:",
                "  raftpipe backup --data-dir /var/lib/etcd --backup-dir /backups/etcd-1 --mask-prefix /registry/secrets/",
                "  raftpipe backup --data-dir /var/lib/etcd --backup-dir b --redact-prefix /registry/secrets/ --backend b.db",
                "  raftpipe backup --etcd-snapshot snap.db --export redacted.db --mask-prefix /registry/secrets/ --mask-key-file k",
                "  raftpipe backup --endpoint https://10.0.0.1:2379 --cacert ca.crt --cert c.crt --key c.key --backup-dir b \\",
                "      --redact-prefix /registry/secrets/",
                "", "A rules file holds one rule a line: 'redact <prefix>' or 'mask <prefix>'; '#' starts a comment."})
final class BackupCommand implements Callable<Integer> {
    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    /** What to back up. */
    static final class Input {
        @Option(names = "--data-dir", paramLabel = "<dir>", description = "A stopped member's etcd data dir (holds member/).")
        Path dataDir;

        @Option(names = "--etcd-snapshot", paramLabel = "<file|s3://bucket/key>", description = "An etcdctl snapshot save file (its "
                + "SHA-256 trailer checked).")
        Place etcdSnapshot;

        @Option(names = "--endpoint", paramLabel = "<url>", description = "A running member (http(s)://host:port): its "
                + "snapshot streamed over etcd's Maintenance API, then backed up as a snapshot file is.")
        String endpoint;
    }

    @Mixin
    EndpointOptions connection = new EndpointOptions();

    @Option(names = "--skip-hash-check", description = "With --etcd-snapshot: do not check the trailer (a plain db file).")
    boolean skipHashCheck;

    @Option(names = "--wal-dir", paramLabel = "<dir>", description = "With --data-dir: the WAL, if not <data-dir>/member/wal.")
    Path walDir;

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Output output;

    /** Where the backup goes. */
    static final class Output {
        @Option(names = "--backup-dir", paramLabel = "<dir>", description = "The new data dir; must not exist.")
        Path backupDir;

        @Option(names = "--export", paramLabel = "<file|s3://bucket/key>", description = "With --etcd-snapshot or "
                + "--endpoint: a redacted etcdctl snapshot file instead (etcdutl snapshot restore takes it); must not "
                + "exist.")
        Place export;

        @Option(names = "--archive", paramLabel = "<file|s3://bucket/key>", description = "One sealed WAL archive "
                + "instead (verify, inspect and restore read it; --seal/--key-file seal it); must not exist.")
        Place archive;
    }

    @Mixin
    SealOptions seal = new SealOptions();

    @Option(names = "--backup-wal-dir", paramLabel = "<dir>", description = "Put the backup's WAL here instead.")
    Path backupWalDir;

    @Option(names = "--backend", paramLabel = "<file.db>", description = "Also build a SQLite backend of what etcd "
            + "serves from the backup.")
    Path backend;

    @Option(names = "--redact-prefix", paramLabel = "<prefix>", description = "Drop keys under this prefix (repeatable).")
    List<String> redact = new ArrayList<>();

    @Option(names = "--mask-prefix", paramLabel = "<prefix>", description = "Mask values under this prefix (repeatable).")
    List<String> mask = new ArrayList<>();

    @Option(names = "--rules-file", paramLabel = "<file>", description = "More rules, one a line.")
    Path rulesFile;

    @Option(names = "--mask-key-file", paramLabel = "<file>",
            description = "Key of the masking HMAC (32 bytes raw or 64 hex); generated and reported if absent.")
    Path maskKeyFile;

    @Option(names = "--keep-membership", description = "Keep conf changes and member attribute updates.")
    boolean keepMembership;

    @Option(names = "--keep-ids", description = "Keep the source's node and cluster IDs.")
    boolean keepIds;

    @Option(names = "--drop-auth", description = "Leave the db's users, roles and auth switch out (a purged source).")
    boolean dropAuth;

    @Option(names = "--no-verify", description = "Publish without reading the backup back first.")
    boolean noVerify;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    /** Local paths of --archive and --export (an object's is a private temporary file, uploaded when done). */
    private Path archive;
    private Path export;
    private String printed = "";

    @Override
    public Integer call() throws Exception {
        connection.requireEndpoint(input.endpoint);
        RedactionRules.Resolved rules;
        try {
            rules = new RedactionRules(redact, mask, Optional.ofNullable(rulesFile), keepMembership)
                    .resolve(Optional.empty(), Optional.ofNullable(maskKeyFile), RedactionRules.WithoutKey.GENERATE);
        } catch (RedactionRules.Invalid e) {
            throw new UsageException(e.getMessage());
        }
        RedactionPolicy policy = rules.policy();
        boolean generated = rules.keyGenerated();
        Place published = output.archive != null ? output.archive : output.export;
        try (Staging staging = Staging.create(common.load(), common.progress())) {
            archive = output.archive == null ? null : staging.write(output.archive, false);
            export = output.export == null ? null : staging.write(output.export, false);
            int exit = input.dataDir != null ? dataDir(policy, generated) : snapshot(policy, generated);
            if (published != null) {
                staging.publish(published, archive != null ? archive : export, false);
            }
            System.out.print(StagedNames.withUserNames(printed));
            return exit;
        }
    }

    private Integer dataDir(RedactionPolicy policy, boolean generated) throws Exception {
        if (archive != null) {
            if (backupWalDir != null) {
                throw new UsageException("--backup-wal-dir goes with --backup-dir");
            }
            var sealer = seal.forSealing();
            BackupOptions options = new BackupOptions(input.dataDir,
                    walDir != null ? walDir : MemberDir.of(input.dataDir).walDir(), archive, Optional.empty(),
                    Optional.ofNullable(backend), policy, generated, keepIds, !noVerify, dropAuth);
            var report = Streams.run(common.load(), system -> ArchivedBackup.run(options, sealer,
                    common.progress(), system));
            print(BackupReportJson.of(report));
            return ExitCodes.OK;
        }
        if (export != null) {
            throw new UsageException("--export goes with --etcd-snapshot or --endpoint (a data dir's WAL tail would be "
                    + "left out): back a data dir up with --backup-dir");
        }
        BackupOptions options = new BackupOptions(input.dataDir,
                walDir != null ? walDir : MemberDir.of(input.dataDir).walDir(), output.backupDir,
                Optional.ofNullable(backupWalDir), Optional.ofNullable(backend), policy, generated, keepIds, !noVerify,
                dropAuth);
        Backup.Report report = Streams.run(common.load(), system -> Backup.run(options, common.progress(), system));
        print(BackupReportJson.of(report));
        return ExitCodes.OK;
    }

    private Integer snapshot(RedactionPolicy policy, boolean generated) throws Exception {
        if (walDir != null || keepIds) {
            throw new UsageException("--wal-dir and --keep-ids go with --data-dir");
        }
        if (skipHashCheck && input.etcdSnapshot == null) {
            throw new UsageException("--skip-hash-check goes with --etcd-snapshot");
        }
        if (export != null && (backupWalDir != null || backend != null)) {
            throw new UsageException("--backup-wal-dir and --backend go with --backup-dir");
        }
        if (archive != null && backupWalDir != null) {
            throw new UsageException("--backup-wal-dir goes with --backup-dir");
        }
        Config config = common.load();
        var snapshot = connection.snapshot(input.endpoint, input.etcdSnapshot, skipHashCheck, config);
        BiFunction<SnapshotBackup.Output, ActorSystem,
                CompletionStage<SnapshotBackup.Report>> backUp = (out, system) -> {
            SnapshotBackup.Options options = new SnapshotBackup.Options(snapshot.name(), out, policy, generated,
                    dropAuth);
            return Streams.starting(() -> SnapshotBackup.run(snapshot, options, common.progress(), system));
        };
        if (archive != null) {
            var sealer = seal.forSealing();
            var report = Streams.run(config, system -> ArchivedBackup.ofSnapshot(archive, sealer, system,
                    scratch -> backUp.apply(new SnapshotBackup.DataDirOutput(scratch, Optional.empty(),
                            Optional.ofNullable(backend), false), system)));
            print(BackupReportJson.ofSnapshotArchive(report));
            return ExitCodes.OK;
        }
        SnapshotBackup.Output out = export != null ? new SnapshotBackup.ExportOutput(export)
                : new SnapshotBackup.DataDirOutput(output.backupDir, Optional.ofNullable(backupWalDir),
                Optional.ofNullable(backend));
        SnapshotBackup.Report report = Streams.run(config, system -> backUp.apply(out, system));
        print(BackupReportJson.of(report));
        return ExitCodes.OK;
    }

    /** The report, printed once the output is published. */
    private void print(ObjectNode out) {
        printed = json ? MetaFallbackWarnings.addTo(out) + "\n" : ArchiveReportJson.text(out);
    }
}
