package dev.raftpipe.codecs.bolt;

/**
 * One key of a bucket, in key order. A nested bucket's value is its 16-byte header (and, for an inline
 * bucket, the page that follows it); open it with {@link BoltFile#nested(BoltBucket, BoltEntry)}.
 */
public record BoltEntry(byte[] key, byte[] value, boolean bucket) {
}
