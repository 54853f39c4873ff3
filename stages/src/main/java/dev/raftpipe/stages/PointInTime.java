package dev.raftpipe.stages;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.stream.javadsl.Flow;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Point-in-time restore: a resolved log (after {@link RaftLog#resolve}) cut right after entry {@code index}, so
 * that what follows holds the cluster's state after that entry and no later one. Entries and snapshot records
 * above the index are left out and every hard state's commit is capped at it, so a replay sink applies exactly
 * the entries up to it. A WAL that never committed the index fails the stream when it ends (exit 2), saying the
 * range that is available; the sink then publishes nothing.
 */
public final class PointInTime {
    private PointInTime() {
    }

    public static Flow<WalRecord, WalRecord, CompletionStage<PointInTimeSummary>> upToIndex(long index) {
        if (index < 1) {
            throw new IllegalArgumentException("a point in time is an index of 1 or more, not " + index);
        }
        return SummarizingFlow.of(() -> new Cut(index), Cut::pass, Cut::summary).mapConcat(records -> records);
    }

    private static final class Cut {
        private final long index;
        private long firstIndex;
        private long term;
        private long lastCommitted;
        private long leftOut;

        Cut(long index) {
            this.index = index;
        }

        List<WalRecord> pass(WalRecord record) {
            if (record instanceof WalRecord.EntryRecord e) {
                long at = e.entry().index();
                if (firstIndex == 0) {
                    firstIndex = at;
                    if (at > index + 1) {
                        throw new VerificationException("index " + index + " is before this WAL's first entry " + at
                                + ": the state at it is not here (use an older base)");
                    }
                }
                if (at > index) {
                    leftOut++;
                    return List.of();
                }
                if (at == index) {
                    term = e.entry().term();
                }
            } else if (record instanceof WalRecord.StateRecord s) {
                HardState h = s.state();
                lastCommitted = Math.max(lastCommitted, h.commit());
                if (h.commit() > index) {
                    return List.of(new WalRecord.StateRecord(new HardState(h.term(), h.vote(), index)));
                }
            } else if (record instanceof WalRecord.SnapshotRecord s && s.snapshot().index() > index) {
                return List.of();
            }
            return List.of(record);
        }

        /** Called when the log ends: the index must have been committed, or the state after it is not known. */
        PointInTimeSummary summary() {
            if (lastCommitted < index) {
                throw new VerificationException("index " + index + " is past the last committed index "
                        + lastCommitted + " of this WAL: the points in time available are "
                        + Math.max(1, firstIndex) + ".." + lastCommitted);
            }
            return new PointInTimeSummary(index, term, lastCommitted, leftOut);
        }
    }
}
