package dev.raftpipe.store;

/** A granted lease: its TTL in seconds and the remaining TTL of its last checkpoint (0 if none). */
public record Lease(long id, long ttl, long remainingTtl) {
}
