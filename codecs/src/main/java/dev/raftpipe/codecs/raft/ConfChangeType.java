package dev.raftpipe.codecs.raft;

/** raftpb.ConfChangeType. */
public enum ConfChangeType {
    ADD_NODE,
    REMOVE_NODE,
    UPDATE_NODE,
    ADD_LEARNER_NODE;

    /** Returns the type for a wire value, or {@code null} when raft defines none. */
    public static ConfChangeType fromWire(long value) {
        return value >= 0 && value < values().length ? values()[(int) value] : null;
    }

    public int wireValue() {
        return ordinal();
    }
}
