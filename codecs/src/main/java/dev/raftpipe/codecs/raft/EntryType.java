package dev.raftpipe.codecs.raft;

/** raftpb.EntryType: what an entry's data holds. */
public enum EntryType {
    NORMAL(0),
    CONF_CHANGE(1),
    CONF_CHANGE_V2(2);

    private final int wireValue;

    EntryType(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** Returns the type for a wire value, or {@code null} when raft defines none. */
    public static EntryType fromWire(long value) {
        for (EntryType t : values()) {
            if (t.wireValue == value) {
                return t;
            }
        }
        return null;
    }
}
