package dev.raftpipe.pipeline.migrate;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a plan can do with one cluster, and the settings each job reads besides name, source, target. */
public enum JobKind {
    /** An etcd data dir → a new data dir etcd starts from (redacted as told). */
    BACKUP(Set.of("wal-dir", "redact-prefixes", "mask-prefixes", "rules-file", "mask-key-file", "keep-ids",
            "keep-membership", "drop-auth", "backend", "verify"), ""),
    /**
     * A data dir or WAL dir → a SQLite backend; an existing one is continued through the applied_index guard. An
     * etcd snapshot file or a running member ({@code source = "https://…"}) → a new backend.
     */
    REPLAY(Set.of("skip-hash-check", "cacert", "cert", "key", "user", "password-file"), ".db"),
    /** A backend, an etcd snapshot file, a running member, or a data dir / WAL dir replayed first → a sealed archive. */
    SEAL(Set.of("seal", "key-file", "skip-hash-check", "cacert", "cert", "key", "user", "password-file"), ".snap"),
    /**
     * An archive (verified first) → a SQLite backend, then an optional WAL tail; with {@code initial-cluster}, a
     * member's data dir etcd starts from ({@code restore --etcd-data-dir}).
     */
    RESTORE(Set.of("seal", "key-file", "wal-dir", "initial-cluster", "initial-cluster-token", "member",
            "etcd-version", "bump-revision", "mark-compacted", "allow-downgrade", "skip-hash-check"), ".db"),
    /** A pipeline file run with ${cluster.name}, ${cluster.source} and ${cluster.target} set. */
    PIPELINE(Set.of("pipeline", "plugins"), "");

    private final Set<String> settings;
    private final String targetSuffix;

    JobKind(Set<String> settings, String targetSuffix) {
        this.settings = settings;
        this.targetSuffix = targetSuffix;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The settings this job reads beyond the common ones. */
    public Set<String> settings() {
        return settings;
    }

    /** Appended to {@code <target-dir>/<name>} when a cluster names no target (a data dir has none). */
    public String targetSuffix(Config cluster) {
        return this == RESTORE && cluster.hasPath("initial-cluster") ? "" : targetSuffix;
    }

    /** Whether the job publishes its output atomically and refuses an existing one (it is re-made on resume). */
    public boolean publishesAtomically() {
        return this == BACKUP || this == SEAL || this == RESTORE;
    }

    public static Optional<JobKind> of(String label) {
        for (JobKind k : values()) {
            if (k.label().equals(label)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
