package dev.raftpipe.codecs.raft;

import java.util.Optional;

/**
 * walpb.Snapshot: the WAL's marker that a raft snapshot was taken at {@code index}/{@code term}.
 * etcd 3.5 also records the ConfState there; 3.4 does not.
 */
public record WalSnapshot(long index, long term, Optional<ConfState> confState) {

    /** The marker every WAL starts with. */
    public static final WalSnapshot ZERO = new WalSnapshot(0, 0, Optional.empty());

    public WalSnapshot {
        confState = confState == null ? Optional.empty() : confState;
    }

    public static WalSnapshot of(long index, long term) {
        return new WalSnapshot(index, term, Optional.empty());
    }
}
