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
        super(cause.getMessage() + "; " + backend + " advanced to index " + consistentIndex + " before it (" + applied
                + " entries applied)", cause);
        this.backend = backend;
        this.consistentIndex = consistentIndex;
    }

    public Path backend() {
        return backend;
    }

    public long consistentIndex() {
        return consistentIndex;
    }
}
