package dev.raftpipe.stages;

/**
 * Where {@link PointInTime#upToIndex} cut a log: the index it stops at and that entry's term (the hard state a
 * restored member starts from), the last index the WAL had committed, and the entries left out above the cut.
 */
public record PointInTimeSummary(long index, long term, long lastCommitted, long entriesLeftOut) {
}
