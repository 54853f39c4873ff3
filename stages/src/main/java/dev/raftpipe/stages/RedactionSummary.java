package dev.raftpipe.stages;

/**
 * What {@link Redaction#flow} rewrote: entries seen; entries dropped (no-ops now) because of a drop
 * prefix; txns dropped whole and the writes to other keys they held; entries whose values were masked
 * and how many values; membership entries stripped.
 */
public record RedactionSummary(long entries, long dropped, long droppedTxns, long otherKeysInDroppedTxns,
                               long maskedEntries, long maskedValues, long membershipStripped) {
    public static final RedactionSummary ZERO = new RedactionSummary(0, 0, 0, 0, 0, 0, 0);

    public long rewritten() {
        return dropped + droppedTxns + maskedEntries + membershipStripped;
    }
}
