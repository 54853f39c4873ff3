package dev.raftpipe.pipeline.cli;

/** A command line that asks for something impossible; exit code 1. */
public final class UsageException extends RuntimeException implements dev.raftpipe.pipeline.Failures.Told {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
