package dev.raftpipe.codecs.raft;

import java.util.Arrays;

/**
 * raftpb.ConfChange. For add and update, etcd puts a JSON member in {@code context}
 * ({@code {"id":…,"peerURLs":[…],"name":…,"isLearner":…}}).
 */
public record ConfChange(long id, ConfChangeType type, long nodeId, byte[] context) {

    public ConfChange {
        context = context == null ? new byte[0] : context;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChange c && c.id == id && c.type == type && c.nodeId == nodeId
                && Arrays.equals(c.context, context);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nodeId) * 31 + type.hashCode();
    }
}
