package dev.raftpipe.pipeline.spi;

import dev.raftpipe.codecs.archive.StateRecord;
import dev.raftpipe.codecs.wal.WalRecord;

/** What flows between stages: WAL records (entries, hard states…) or state records (a backend's contents). */
public enum Payload {
    WAL_RECORDS(WalRecord.class, "WAL records"),
    STATE_RECORDS(StateRecord.class, "state records");

    private final Class<?> type;
    private final String label;

    Payload(Class<?> type, String label) {
        this.type = type;
        this.label = label;
    }

    public Class<?> type() {
        return type;
    }

    @Override
    public String toString() {
        return label;
    }
}
