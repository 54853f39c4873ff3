package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.Failures;

/** A command line that asks for something impossible; exit code 1. */
public final class UsageException extends RuntimeException implements Failures.Told {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
