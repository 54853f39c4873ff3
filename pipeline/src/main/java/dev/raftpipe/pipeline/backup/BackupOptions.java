package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.redact.RedactionPolicy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One backup: where the etcd data is, where the backup goes, what to redact. {@code maskKeyGenerated}
 * says the policy's mask key was made for this run and must be reported to the user; {@code dropAuth} leaves the
 * db's users, roles and auth switch out (a purged source's db carries them otherwise).
 */
public record BackupOptions(Path dataDir, Path walDir, Path backupDir, Optional<Path> backupWalDir,
                            Optional<Path> backend, RedactionPolicy policy, boolean maskKeyGenerated,
                            boolean keepIds, boolean verify, boolean dropAuth) {

    /** The same backup assembled in another directory (a WAL archive's scratch), its WAL inside it. */
    public BackupOptions into(Path dir) {
        return new BackupOptions(dataDir, walDir, dir, Optional.empty(), backend, policy, maskKeyGenerated, keepIds,
                verify, dropAuth);
    }
}
