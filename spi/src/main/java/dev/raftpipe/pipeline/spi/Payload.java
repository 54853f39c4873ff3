package dev.raftpipe.pipeline.spi;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.wal.WalRecord;

/**
 * What flows between stages. A stage declares what it consumes and produces; {@code raftpipe run}
 * refuses a chain where the two differ.
 */
public enum Payload {
    /**
     * {@link WalRecord}s as a WAL holds them: metadata, entries, hard states, snapshots and CRC records,
     * in log order. Entries of a superseded term are still there until a {@code resolve} stage drops them.
     */
    WAL_RECORDS(WalRecord.class, "WAL records"),
    /**
     * {@link WalRecord}s after a {@code resolve} stage: superseded entries dropped, every entry that comes out before
     * the end committed by a hard state already seen (see {@code RaftLog.resolve}). What a replay needs; a stage that
     * consumes {@link #WAL_RECORDS} takes it too, and a pass-through stage should produce what it receives
     * ({@code StageSettings.receives()}) so the resolution is not forgotten.
     */
    RESOLVED_LOG(WalRecord.class, "a resolved raft log"),
    /**
     * {@link StateRecord}s: a backend's contents as a snapshot archive holds them, the meta record first,
     * then members, leases and keys in key order.
     */
    STATE_RECORDS(StateRecord.class, "state records"),
    /**
     * {@link KeyRevision}s: every stored revision of an etcd db's {@code key} bucket in revision order, tombstones
     * included, as stored (a {@code db-source} with {@code history = true}); for stages that read the MVCC history.
     */
    KEY_REVISIONS(KeyRevision.class, "key revisions");

    private final Class<?> type;
    private final String label;

    /** Whether a stage that consumes {@code this} can take what flows: the same payload, or a resolved log for WAL records. */
    public boolean accepts(Payload flowing) {
        return this == flowing || this == WAL_RECORDS && flowing == RESOLVED_LOG;
    }

    Payload(Class<?> type, String label) {
        this.type = type;
        this.label = label;
    }

    /** The Java type of the elements. */
    public Class<?> type() {
        return type;
    }

    @Override
    public String toString() {
        return label;
    }
}
