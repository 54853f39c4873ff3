package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.Failures;

/** A plan file that cannot run: names the file, line and cluster. Exit code 1, before any work. */
public final class PlanException extends RuntimeException implements Failures.Told {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
