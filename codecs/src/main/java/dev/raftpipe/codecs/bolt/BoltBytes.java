package dev.raftpipe.codecs.bolt;

/** bbolt's integers: little-endian, as the Go structs lie in memory on amd64. */
final class BoltBytes {
    private BoltBytes() {
    }

    static int i32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static long u64(byte[] b, int at) {
        return (i32(b, at) & 0xffffffffL) | (long) i32(b, at + 4) << 32;
    }

    static void putI32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static void putU64(byte[] b, int at, long v) {
        putI32(b, at, (int) v);
        putI32(b, at + 4, (int) (v >>> 32));
    }

    /** FNV-1a, 64 bits: the checksum of a meta page. */
    static long fnv1a64(byte[] b, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= b[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
