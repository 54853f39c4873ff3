package dev.raftpipe.store;

import java.util.Map;

/**
 * What one {@link Backend#apply} did. {@code rejected} counts entries etcd applied as a failed request
 * (a put with an unknown lease, a compaction of a compacted revision…), by reason; they change nothing
 * but the consistent index, exactly as in etcd. {@code stoppedBefore} is the index of the entry a revision limit
 * left out (with it every later one), or 0. {@code revisions} holds the revision after each applied entry, in
 * order (entry {@code firstApplied + i} ends at {@code revisions[i]}).
 */
public record BatchResult(int applied, int skipped, long firstApplied, long lastApplied, long revision,
                          long consistentIndex, Map<String, Long> rejected, long stoppedBefore, long[] revisions) {
    public BatchResult {
        rejected = Map.copyOf(rejected);
    }
}
