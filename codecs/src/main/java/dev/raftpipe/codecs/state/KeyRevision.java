package dev.raftpipe.codecs.state;

/**
 * One stored revision of the {@code key} bucket, as stored: a put, or a tombstone (whose value holds only
 * the key, as etcd writes it).
 */
public record KeyRevision(Revision revision, boolean tombstone, StateRecord.KeyValue kv) {
}
