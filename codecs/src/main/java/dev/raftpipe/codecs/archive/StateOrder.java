package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateDigest;
import dev.raftpipe.codecs.state.StateRecord;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Checks the fixed record order of state.bin as records go by: exactly one meta first, then members,
 * leases, bucket entries, and keys in strictly ascending key order. Keeps counts and a content checksum, so a writer
 * and a reader of the same records agree on both.
 */
public final class StateOrder {
    private final CRC32C digest = new CRC32C();
    private StateCounts counts = StateCounts.ZERO;
    private int stage = -1;
    private byte[] lastKey;

    /** Accepts the next record or throws {@link ArchiveVerificationException} naming what is out of order. */
    public void accept(StateRecord r) {
        int kind = r instanceof StateRecord.Meta ? 0 : r instanceof StateRecord.Member ? 1
                : r instanceof StateRecord.Lease ? 2 : r instanceof StateRecord.BucketEntry ? 3 : 4;
        if (stage == -1 && kind != 0) {
            throw new ArchiveVerificationException("state.bin does not start with its meta record");
        }
        if (kind < stage || (kind == 0 && stage == 0)) {
            throw new ArchiveVerificationException("state.bin records are out of order at record " + (counts.total() + 1));
        }
        if (r instanceof StateRecord.KeyValue kv) {
            if (lastKey != null && Arrays.compareUnsigned(lastKey, kv.key()) >= 0) {
                throw new ArchiveVerificationException("state.bin keys are not in ascending order at record "
                        + (counts.total() + 1));
            }
            lastKey = kv.key();
        }
        stage = kind;
        counts = counts.plus(r);
        StateDigest.update(digest, r);
    }

    public StateCounts counts() {
        return counts;
    }

    /** Where the meta record is required: a state.bin without one is not complete. */
    public void finish() {
        if (stage == -1) {
            throw new ArchiveVerificationException("state.bin holds no meta record");
        }
    }

    /**
     * A CRC-32C over every record's fields with the record count: it tells a decode that differs from
     * what was encoded. Tampering is the SHA-256 sums' job, not this one's.
     */
    public byte[] contentDigest() {
        return ByteBuffer.allocate(12).putLong(counts.total()).putInt((int) digest.getValue()).array();
    }

    /**
     * The same CRC-32C as meta.json's {@code content_digest} names it, {@code crc32c:<hex>}: what a {@code checksum}
     * stage with {@code crc32c} reports over these records (both feed {@link StateDigest}).
     */
    public String contentChecksum() {
        return "crc32c:" + String.format("%08x", digest.getValue());
    }
}
