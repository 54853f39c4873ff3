package dev.raftpipe.stages;

import dev.raftpipe.codecs.VerificationException;

import java.nio.file.Path;

/**
 * A replay into an existing backend that failed on bad data after applying the valid entries before it: the
 * backend moved to {@code consistentIndex}, which the guard makes the run after a repair continue from.
 */
public final class BackendAdvancedException extends VerificationException {
    private static final long serialVersionUID = 1L;
    private final transient Path backend;
    private final long consistentIndex;

    public BackendAdvancedException(Path backend, long consistentIndex, long applied, Throwable cause) {
        super(message(backend, consistentIndex, applied, cause), cause);
        this.backend = backend;
        this.consistentIndex = consistentIndex;
    }

    /** The failure's own line, and how far the backend got before it (also for an I/O failure, which keeps its kind). */
    public static String message(Path backend, long consistentIndex, long applied, Throwable cause) {
        return cause.getMessage() + "; " + backend + " advanced to index " + consistentIndex + " before it (" + applied
                + " entries applied)";
    }

    public Path backend() {
        return backend;
    }

    public long consistentIndex() {
        return consistentIndex;
    }
}
