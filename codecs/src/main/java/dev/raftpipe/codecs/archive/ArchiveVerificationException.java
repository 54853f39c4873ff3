package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.VerificationException;

/** An archive failed verification: nothing from it may be restored. */
public final class ArchiveVerificationException extends VerificationException {
    public ArchiveVerificationException(String message) {
        super(message);
    }

    public ArchiveVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
