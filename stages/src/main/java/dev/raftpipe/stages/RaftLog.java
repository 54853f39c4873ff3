package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.stream.javadsl.Flow;

import java.util.concurrent.CompletionStage;

/** Turns the WAL's records into the raft log etcd would load. */
public final class RaftLog {
    private RaftLog() {
    }

    /**
     * Resolves raft truncation: an entry whose index is not above the last one kept replaces it and
     * drops everything after it (a new leader overwrote an uncommitted tail). Out come, in order:
     * <ul>
     *   <li>entries with strictly consecutive indexes, superseded ones removed;</li>
     *   <li>state records, each one ahead of the entries its {@code commit} covers, so every entry
     *       that comes out before the stream ends is committed by a state already seen;</li>
     *   <li>the entries above the final commit last of all, when the input ends;</li>
     *   <li>metadata and snapshot records in their place; crc records (framing only) are dropped.</li>
     * </ul>
     * Only the uncommitted tail is held in memory, up to {@code max-uncommitted-bytes}.
     */
    public static Flow<WalRecord, WalRecord, CompletionStage<RaftLogSummary>> resolve(RaftLogSettings settings) {
        return Flow.fromGraph(new RaftLogResolver(settings));
    }

    public static Flow<WalRecord, WalRecord, CompletionStage<RaftLogSummary>> resolve() {
        return resolve(RaftLogSettings.create());
    }
}
