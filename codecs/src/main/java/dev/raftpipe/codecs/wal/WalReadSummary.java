package dev.raftpipe.codecs.wal;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What reading a WAL directory found, whole or up to where it stopped. */
public record WalReadSummary(List<String> segments, Map<RecordType, Long> recordCounts, long bytesRead,
                             Optional<WalMetadata> metadata, Optional<TornTail> tornTail) {

    public WalReadSummary {
        segments = List.copyOf(segments);
        EnumMap<RecordType, Long> counts = new EnumMap<>(RecordType.class);
        for (RecordType t : RecordType.values()) {
            counts.put(t, recordCounts.getOrDefault(t, 0L));
        }
        recordCounts = Collections.unmodifiableMap(counts);
    }

    public long records() {
        return recordCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(RecordType type) {
        return recordCounts.get(type);
    }
}
