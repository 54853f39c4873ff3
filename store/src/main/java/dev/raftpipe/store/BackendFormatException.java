package dev.raftpipe.store;

import dev.raftpipe.codecs.VerificationException;

/** The file is not a backend this raftpipe can open: another schema, or not ours at all. */
public final class BackendFormatException extends VerificationException {
    public BackendFormatException(String message) {
        super(message);
    }
}
