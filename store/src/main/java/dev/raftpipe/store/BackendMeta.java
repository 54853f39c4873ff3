package dev.raftpipe.store;

import dev.raftpipe.codecs.raft.ConfState;

/**
 * The backend's position and counters: {@code consistentIndex} and {@code term} of the last applied
 * entry, etcd's current {@code revision} (1 for an empty store) and {@code compactRevision}.
 */
public record BackendMeta(long consistentIndex, long term, long revision, long compactRevision,
                          ConfState confState, String clusterVersion) {
}
