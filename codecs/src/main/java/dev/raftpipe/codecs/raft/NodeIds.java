package dev.raftpipe.codecs.raft;

/** Member, cluster and lease IDs as etcd prints them: the unsigned 64-bit value in lowercase hex. */
public final class NodeIds {
    private NodeIds() {
    }

    public static String hex(long id) {
        return Long.toHexString(id);
    }

    public static long parse(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }
}
