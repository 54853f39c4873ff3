package dev.raftpipe.stages;

import dev.raftpipe.store.BackendMeta;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a replay did. {@code applied} entries moved the backend (including requests etcd answered with
 * an error, counted by reason in {@code rejected}); {@code skipped} were at or below its
 * consistent_index already; {@code uncommitted} were above the last HardState's commit and left out.
 * {@code firstApplied}/{@code lastApplied} are 0 when nothing was applied; {@code lastCommitted} is the
 * last committed index the WAL held; {@code meta} is the backend's state at the end; {@code clusterId} the
 * cluster its log came from, empty when no WAL named one. {@code revisionsAtSnapshots}: the revision the backend
 * reached at each snapshot record's index that this replay applied (to pick a point in time by).
 */
public record ReplaySummary(Path backend, long applied, long skipped, long uncommitted, long firstApplied,
                            long lastApplied, long lastCommitted, long batches, Map<String, Long> rejected,
                            BackendMeta meta, OptionalLong clusterId,
                            SortedMap<Long, Long> revisionsAtSnapshots) {
    public ReplaySummary {
        rejected = Map.copyOf(rejected);
        revisionsAtSnapshots = Collections.unmodifiableSortedMap(new TreeMap<>(revisionsAtSnapshots));
    }

    /** The same summary for a backend built under a temporary name and published at {@code published}. */
    public ReplaySummary publishedAt(Path published) {
        return new ReplaySummary(published, applied, skipped, uncommitted, firstApplied, lastApplied, lastCommitted,
                batches, rejected, meta, clusterId, revisionsAtSnapshots);
    }
}
