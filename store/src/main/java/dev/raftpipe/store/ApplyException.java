package dev.raftpipe.store;

import dev.raftpipe.codecs.VerificationException;

/** An entry etcd itself could not apply (etcd would panic): undecodable data or an unknown request kind. */
public final class ApplyException extends VerificationException {
    private final long index;

    public ApplyException(long index, String reason) {
        super("entry " + index + " cannot be applied: " + reason);
        this.index = index;
    }

    public long index() {
        return index;
    }
}
