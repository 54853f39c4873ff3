package dev.raftpipe.codecs.wal;

/** walpb.Record types, with the names raftpipe reports them under. */
public enum RecordType {
    METADATA(1, "metadata"),
    ENTRY(2, "entry"),
    STATE(3, "state"),
    CRC(4, "crc"),
    SNAPSHOT(5, "snapshot");

    private final int wireValue;
    private final String label;

    RecordType(int wireValue, String label) {
        this.wireValue = wireValue;
        this.label = label;
    }

    public int wireValue() {
        return wireValue;
    }

    public String label() {
        return label;
    }

    /** Returns the type for a wire value, or {@code null} when etcd defines none. */
    public static RecordType fromWire(long value) {
        return value >= 1 && value <= 5 ? values()[(int) value - 1] : null;
    }
}
