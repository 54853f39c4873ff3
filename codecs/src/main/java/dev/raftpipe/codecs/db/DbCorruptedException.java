package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.VerificationException;

/** An etcd db whose bbolt structure holds, but whose buckets hold something etcd never writes. */
public final class DbCorruptedException extends VerificationException {
    private static final long serialVersionUID = 1L;

    public DbCorruptedException(String message) {
        super(message);
    }
}
