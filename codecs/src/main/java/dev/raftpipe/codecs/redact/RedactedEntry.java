package dev.raftpipe.codecs.redact;

import dev.raftpipe.codecs.raft.Entry;

/**
 * An entry after redaction: same index and term always. {@code maskedValues} counts values replaced;
 * for a txn dropped whole, {@code otherKeys} counts the writes it held to keys no rule names.
 */
public record RedactedEntry(Entry entry, Change change, int maskedValues, int otherKeys) {

    public enum Change {
        UNCHANGED,
        /** A put or single-key delete under a drop prefix, now a no-op. */
        DROPPED,
        /** A txn that wrote a key under a drop prefix, now a no-op as a whole. */
        DROPPED_TXN,
        /** Values under a mask prefix replaced; the request otherwise as it was. */
        MASKED,
        /** A conf change or member attribute update, now a no-op. */
        MEMBERSHIP_STRIPPED
    }
}
