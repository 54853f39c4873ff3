package dev.raftpipe.store;

import dev.raftpipe.codecs.VerificationException;

/** A restore would move a backend back in time: it has applied more than the archive holds. */
public final class RestoreRefusedException extends VerificationException {
    public RestoreRefusedException(String message) {
        super(message);
    }
}
