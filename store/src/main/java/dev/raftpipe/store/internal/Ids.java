package dev.raftpipe.store.internal;

/** Member IDs as etcd prints them: unsigned 64-bit, lowercase hex. */
public final class Ids {
    private Ids() {
    }

    public static String hex(long id) {
        return Long.toHexString(id);
    }

    public static long parse(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }
}
