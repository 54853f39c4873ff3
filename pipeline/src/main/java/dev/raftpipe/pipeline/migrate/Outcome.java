package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.migrate.journal.JobStatus;

/**
 * How one cluster's job ended, as a worker reports it to the coordinator (serialized between nodes).
 * {@code error} is the one-line reason of a failure, else null; {@code worker} the node that ran it.
 */
public record Outcome(String name, JobStatus status, long entries, long bytes, long durationMillis, int attempts,
                      String error, String worker) {
}
