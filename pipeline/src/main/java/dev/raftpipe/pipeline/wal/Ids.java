package dev.raftpipe.pipeline.wal;

/** IDs as etcd prints them: lowercase hex of the unsigned value. */
public final class Ids {
    private Ids() {
    }

    public static String hex(long id) {
        return Long.toHexString(id);
    }
}
