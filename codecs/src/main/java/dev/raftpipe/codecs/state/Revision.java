package dev.raftpipe.codecs.state;

/**
 * An MVCC revision as etcd keys its {@code key} bucket: 8-byte big-endian main, {@code '_'}, 8-byte
 * big-endian sub (17 bytes), plus {@code 't'} for a tombstone (18 bytes). Bytewise order is revision order.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
    public static final int BYTES = 17;
    public static final int TOMBSTONE_BYTES = 18;

    /** Parses a {@code key}-bucket key; {@code null} when it is not one. */
    public static Revision parse(byte[] k) {
        return parse(k, 0, k.length);
    }

    public static Revision parse(byte[] b, int at, int length) {
        if ((length != BYTES && length != TOMBSTONE_BYTES) || b[at + 8] != '_'
                || (length == TOMBSTONE_BYTES && b[at + 17] != 't')) {
            return null;
        }
        return new Revision(readLong(b, at), readLong(b, at + 9));
    }

    public static boolean isTombstone(byte[] k) {
        return k.length == TOMBSTONE_BYTES;
    }

    public byte[] toBytes(boolean tombstone) {
        byte[] b = new byte[tombstone ? TOMBSTONE_BYTES : BYTES];
        writeLong(b, 0, main);
        b[8] = '_';
        writeLong(b, 9, sub);
        if (tombstone) {
            b[17] = 't';
        }
        return b;
    }

    public static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    public static void writeLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }

    @Override
    public String toString() {
        return main + "_" + sub;
    }
}
