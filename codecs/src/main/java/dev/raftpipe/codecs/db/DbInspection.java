package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.bolt.BoltMeta;
import dev.raftpipe.codecs.bolt.MetaFallback;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code db inspect} reports about an etcd db, with the two hashes users can check against etcd.
 *
 * @param usedSize       {@code pgid × page_size}, etcdutl's "total size"
 * @param buckets        entries per top-level bucket, in bbolt's order
 * @param liveKeys       keys whose newest stored revision is not a tombstone
 * @param totalKey       entries over every bucket, as {@code etcdutl snapshot status} counts them
 * @param statusHash     etcdutl's hash: CRC-32C over every bucket's name, keys and values
 * @param hashKv         etcd's {@code HashByRev} at {@link #hashKvRevision()} (what {@code etcdctl endpoint hashkv} prints)
 * @param hashKvCompactRevision the compact revision that hash was taken with
 */
public record DbInspection(Path path, long fileSize, long usedSize, BoltMeta boltMeta, Optional<MetaFallback> metaFallback,
                           SnapshotTrailer.Result trailer, Map<String, Long> buckets, DbMeta meta,
                           List<StateRecord.Member> members, long liveKeys, long storedRevisions, long totalKey,
                           long statusHash, long hashKv, long hashKvRevision, long hashKvCompactRevision,
                           long pagesReached) {
    public DbInspection {
        buckets = Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
        members = List.copyOf(members);
    }
}
