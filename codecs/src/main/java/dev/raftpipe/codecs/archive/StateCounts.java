package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    /** Reads a {@code record_counts} object, as meta.json and the sidecar hold it. */
    public static StateCounts fromJson(JsonNode c) {
        return new StateCounts(c.path("meta").asLong(), c.path("members").asLong(), c.path("leases").asLong(),
                c.path("keys").asLong());
    }

    /** Writes these counts as {@code record_counts} into {@code o}. */
    public void putInto(ObjectNode o) {
        o.putObject("record_counts").put("meta", meta).put("members", members).put("leases", leases)
                .put("keys", keys);
    }

    public long total() {
        return meta + members + leases + keys;
    }
}
