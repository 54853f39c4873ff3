package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.migrate.journal.JobStatus;

/**
 * One line of a migration's summary. {@code skipped}: finished by an earlier run of the plan (the
 * numbers are that run's). {@code worker}: the node that ran it, in cluster mode.
 */
public record ClusterReport(String name, String job, JobStatus status, boolean skipped, long entries, long bytes,
                            long durationMillis, int attempts, String error, String target, String worker) {
}
