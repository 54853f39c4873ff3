package dev.raftpipe.codecs.wal;

/**
 * A record at the very end of the last segment that was only partly written (a crash mid-write).
 * etcd's repair truncates the segment at {@code offset}; raftpipe leaves the record out and says so.
 */
public record TornTail(String segment, long offset, String reason) {
}
