package dev.raftpipe.pipeline.migrate;

/** A plan file that cannot run: names the file, line and cluster. Exit code 1, before any work. */
public final class PlanException extends RuntimeException implements dev.raftpipe.pipeline.Failures.Told {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
