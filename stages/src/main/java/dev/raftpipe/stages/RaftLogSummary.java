package dev.raftpipe.stages;

import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;

import java.util.List;

/**
 * What {@link RaftLog#resolve} made of a log.
 *
 * @param entries     entries in the resolved log
 * @param firstIndex  index of the first (0 when there are none)
 * @param lastIndex   index of the last (0 when there are none)
 * @param lastTerm    term of the last
 * @param overwritten entries the WAL holds that a later term superseded (raft truncation)
 * @param uncommitted entries above the last HardState's commit: in the log, never applied
 * @param hardState   the last HardState, which wins
 * @param snapshots   the WAL's snapshot markers in log order
 */
public record RaftLogSummary(long entries, long firstIndex, long lastIndex, long lastTerm, long overwritten,
                             long uncommitted, HardState hardState, List<WalSnapshot> snapshots) {
    public RaftLogSummary {
        snapshots = List.copyOf(snapshots);
    }
}
