package dev.raftpipe.codecs.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How many records of each kind a state.bin holds. */
public record StateCounts(long meta, long members, long leases, long keys, long bucketEntries) {
    public static final StateCounts ZERO = new StateCounts(0, 0, 0, 0, 0);

    /** Counts of a state without bucket entries (every archive of format 1). */
    public StateCounts(long meta, long members, long leases, long keys) {
        this(meta, members, leases, keys, 0);
    }

    public StateCounts plus(StateRecord r) {
        if (r instanceof StateRecord.Meta) {
            return new StateCounts(meta + 1, members, leases, keys, bucketEntries);
        } else if (r instanceof StateRecord.Member) {
            return new StateCounts(meta, members + 1, leases, keys, bucketEntries);
        } else if (r instanceof StateRecord.Lease) {
            return new StateCounts(meta, members, leases + 1, keys, bucketEntries);
        } else if (r instanceof StateRecord.BucketEntry) {
            return new StateCounts(meta, members, leases, keys, bucketEntries + 1);
        }
        return new StateCounts(meta, members, leases, keys + 1, bucketEntries);
    }

    /** Reads a {@code record_counts} object, as meta.json and the sidecar hold it. */
    public static StateCounts fromJson(JsonNode c) {
        return new StateCounts(c.path("meta").asLong(), c.path("members").asLong(), c.path("leases").asLong(),
                c.path("keys").asLong(), c.path("bucket_entries").asLong());
    }

    /** Writes these counts as {@code record_counts} into {@code o}. */
    public void putInto(ObjectNode o) {
        ObjectNode counts = o.putObject("record_counts").put("meta", meta).put("members", members)
                .put("leases", leases).put("keys", keys);
        if (bucketEntries > 0) {
            counts.put("bucket_entries", bucketEntries);
        }
    }

    public long total() {
        return meta + members + leases + keys + bucketEntries;
    }
}
