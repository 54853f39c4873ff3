package dev.raftpipe.codecs.wal;

import dev.raftpipe.codecs.raft.HardState;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a {@link WalWriter} published. */
public record WalWriteSummary(Path walDir, List<String> segments, Map<RecordType, Long> recordCounts,
                              long bytesWritten, long lastIndex, HardState hardState) {
    public WalWriteSummary {
        segments = List.copyOf(segments);
        recordCounts = Map.copyOf(recordCounts);
    }
}
