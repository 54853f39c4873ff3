package dev.raftpipe.codecs.raft;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One raft log entry (raftpb.Entry). An {@link EntryType#NORMAL} entry with empty data is a no-op:
 * a new leader appends one at the start of its term.
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (type == null) {
            throw new IllegalArgumentException("entry type is required");
        }
        data = data == null ? EMPTY : data;
    }

    /** A no-op entry at the given place: what redaction turns a removed entry into. */
    public static Entry noop(long term, long index) {
        return new Entry(term, index, EntryType.NORMAL, EMPTY);
    }

    public boolean isNoop() {
        return type == EntryType.NORMAL && data.length == 0;
    }

    public Entry withData(byte[] newData) {
        return new Entry(term, index, type, newData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return (int) (31 * (31 * index + term)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String shown = data.length <= 16 ? HexFormat.of().formatHex(data) : data.length + " bytes";
        return "Entry[term=" + term + ", index=" + index + ", type=" + type + ", data=" + shown + "]";
    }
}
