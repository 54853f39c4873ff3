package dev.raftpipe.codecs.wal;

import dev.raftpipe.codecs.VerificationException;

import java.nio.file.Path;

/** A WAL that is not what etcd writes, with the segment file and byte offset where it went wrong. */
public final class WalCorruptedException extends VerificationException {
    private static final long serialVersionUID = 1L;

    private final transient Path segment;
    private final long offset;
    private final String reason;

    public WalCorruptedException(Path segment, long offset, String reason) {
        super("WAL corrupted in " + segment + " at offset " + offset + ": " + reason);
        this.segment = segment;
        this.offset = offset;
        this.reason = reason;
    }

    public Path segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
