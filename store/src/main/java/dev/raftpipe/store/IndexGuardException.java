package dev.raftpipe.store;

import dev.raftpipe.codecs.VerificationException;

/**
 * Entries do not continue the backend: the next one to apply is not {@code consistent_index + 1}. A
 * backend must never skip entries, so nothing of the batch is applied.
 */
public final class IndexGuardException extends VerificationException {
    private final long consistentIndex;
    private final long entryIndex;

    public IndexGuardException(long consistentIndex, long entryIndex) {
        super("entries do not continue the backend: its consistent_index is " + consistentIndex
                + " but the next entry is " + entryIndex + " (entries " + (consistentIndex + 1) + ".."
                + (entryIndex - 1) + " are missing; replay from an older WAL or restore an archive first)");
        this.consistentIndex = consistentIndex;
        this.entryIndex = entryIndex;
    }

    public long consistentIndex() {
        return consistentIndex;
    }

    public long entryIndex() {
        return entryIndex;
    }
}
