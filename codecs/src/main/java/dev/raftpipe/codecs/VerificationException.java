package dev.raftpipe.codecs;

/**
 * Data that failed verification: corrupt bytes, a broken checksum chain, a raft log that contradicts
 * itself. The launcher maps every subclass to exit code 2; I/O trouble is an {@link java.io.IOException}
 * or {@link java.io.UncheckedIOException} instead.
 */
public class VerificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VerificationException(String message) {
        super(message);
    }

    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
