package dev.raftpipe.pipeline.cli;

import dev.raftpipe.codecs.archive.SealKey;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import dev.raftpipe.pipeline.backup.Backup;
import dev.raftpipe.pipeline.backup.BackupOptions;
import dev.raftpipe.pipeline.backup.BackupReportJson;
import dev.raftpipe.pipeline.backup.RulesFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true,
        header = "Back up an etcd data dir into a new one etcd starts from, optionally redacted.",
        description = {"Back up an etcd data dir into a new one etcd starts from (with --force-new-cluster), redacting",
                "as told. Entries are rewritten, never removed: a redacted entry becomes a no-op with the same index",
                "and term, so every index and consistent_index stays true. Fresh node and cluster IDs and no",
                "membership, as etcd's own backup, unless --keep-ids / --keep-membership."},
        footer = {"", "Examples:",
                "  raftpipe backup --data-dir /var/lib/etcd --backup-dir /backups/etcd-1 --mask-prefix /registry/secrets/",
                "  raftpipe backup --data-dir /var/lib/etcd --backup-dir b --redact-prefix /registry/secrets/ --backend b.db",
                "", "A rules file holds one rule a line: 'redact <prefix>' or 'mask <prefix>'; '#' starts a comment."})
final class BackupCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, paramLabel = "<dir>", description = "The etcd data dir (holds member/).")
    Path dataDir;

    @Option(names = "--wal-dir", paramLabel = "<dir>", description = "The WAL, if not <data-dir>/member/wal.")
    Path walDir;

    @Option(names = "--backup-dir", required = true, paramLabel = "<dir>", description = "The new data dir; must not exist.")
    Path backupDir;

    @Option(names = "--backup-wal-dir", paramLabel = "<dir>", description = "Put the backup's WAL here instead.")
    Path backupWalDir;

    @Option(names = "--backend", paramLabel = "<file.db>", description = "Also build a SQLite backend from the backup's entries.")
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

    @Option(names = "--no-verify", description = "Publish without reading the backup back first.")
    boolean noVerify;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        List<byte[]> drop = new ArrayList<>();
        List<byte[]> masked = new ArrayList<>();
        redact.forEach(p -> drop.add(bytes(p)));
        mask.forEach(p -> masked.add(bytes(p)));
        if (rulesFile != null) {
            try {
                RulesFile rules = RulesFile.read(rulesFile);
                drop.addAll(rules.redact());
                masked.addAll(rules.mask());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        byte[] key = null;
        boolean generated = false;
        if (!masked.isEmpty()) {
            if (maskKeyFile != null) {
                if (!Files.isRegularFile(maskKeyFile)) {
                    throw new NoSuchFileException(maskKeyFile.toString(), null, "mask key file not found");
                }
                try {
                    key = SealKey.read(maskKeyFile);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            } else {
                key = new byte[32];
                new SecureRandom().nextBytes(key);
                generated = true;
            }
        }
        BackupOptions options = new BackupOptions(dataDir,
                walDir != null ? walDir : dataDir.resolve("member/wal"), backupDir, Optional.ofNullable(backupWalDir),
                Optional.ofNullable(backend), new RedactionPolicy(drop, masked, key, keepMembership), generated,
                keepIds, !noVerify);
        Backup.Report report = Streams.run(common.load(), system -> Backup.run(options, common.progress(), system));
        var out = BackupReportJson.of(report);
        System.out.print(json ? out + "\n" : ArchiveReportJson.text(out));
        return ExitCodes.OK;
    }

    private static byte[] bytes(String prefix) {
        try {
            return RulesFile.prefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
