package dev.raftpipe.stages;

import dev.raftpipe.codecs.VerificationException;

/** A log that contradicts raft: a gap in the indexes, or a rewrite of a committed entry. */
public final class RaftLogException extends VerificationException {
    private static final long serialVersionUID = 1L;

    public RaftLogException(String message) {
        super(message);
    }
}
