package dev.raftpipe.pipeline;

/** A data dir a running etcd holds: reading it could catch its files half-written. Exit code 1. */
public final class MemberInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemberInUseException(String message) {
        super(message);
    }
}
