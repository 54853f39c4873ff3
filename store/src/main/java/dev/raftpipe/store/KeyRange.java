package dev.raftpipe.store;

/**
 * The keys an etcd request names: {@code end} empty is the single key, {@code "\0"} every key ≥ key
 * (etcd's mkGteRange), anything else [key, end). Keys compare as unsigned bytes, as SQLite compares BLOBs.
 */
record KeyRange(byte[] key, byte[] end) {

    public static KeyRange of(byte[] key, byte[] rangeEnd) {
        return new KeyRange(key, rangeEnd == null ? new byte[0] : rangeEnd);
    }

    public boolean single() {
        return end.length == 0;
    }

    public boolean toEnd() {
        return end.length == 1 && end[0] == 0;
    }
}
