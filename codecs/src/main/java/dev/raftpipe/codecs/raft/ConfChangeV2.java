package dev.raftpipe.codecs.raft;

import java.util.List;

/** raftpb.ConfChangeV2: several changes at once, possibly through joint consensus. */
public record ConfChangeV2(int transition, List<Single> changes, byte[] context) {

    public ConfChangeV2 {
        changes = List.copyOf(changes);
        context = context == null ? new byte[0] : context;
    }

    /** raftpb.ConfChangeSingle. */
    public record Single(ConfChangeType type, long nodeId) {
    }
}
