package dev.raftpipe.pipeline.migrate.journal;

import java.util.Optional;

/**
 * What the journal knows of one cluster of a plan: its last attempt's status and result.
 * {@code fingerprint} identifies the cluster's settings, so that a changed plan entry runs again.
 */
public record JournalEntry(String name, String fingerprint, JobStatus status, int attempts, long entries, long bytes,
                           long durationMillis, Optional<String> error, Optional<String> worker) {
}
