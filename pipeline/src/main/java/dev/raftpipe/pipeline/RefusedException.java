package dev.raftpipe.pipeline;

/**
 * Something raftpipe refuses to do as asked, though the command line is well formed: reading a data dir a running
 * etcd holds (its files could be caught half-written), restoring a 3.5 state for etcd 3.4 without
 * {@code --allow-downgrade}. Exit code 1.
 */
public final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }
}
