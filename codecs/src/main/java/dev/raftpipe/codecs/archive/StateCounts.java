package dev.raftpipe.codecs.archive;

/** How many records of each kind a state.bin holds. */
public record StateCounts(long meta, long members, long leases, long keys) {
    public static final StateCounts ZERO = new StateCounts(0, 0, 0, 0);

    public StateCounts plus(StateRecord r) {
        if (r instanceof StateRecord.Meta) {
            return new StateCounts(meta + 1, members, leases, keys);
        } else if (r instanceof StateRecord.Member) {
            return new StateCounts(meta, members + 1, leases, keys);
        } else if (r instanceof StateRecord.Lease) {
            return new StateCounts(meta, members, leases + 1, keys);
        }
        return new StateCounts(meta, members, leases, keys + 1);
    }

    public long total() {
        return meta + members + leases + keys;
    }
}
