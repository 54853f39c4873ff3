package dev.raftpipe.codecs.bolt;

import dev.raftpipe.codecs.VerificationException;

/** A bbolt file that is not what bbolt writes, with the page and byte offset where it went wrong. */
public final class BoltCorruptedException extends VerificationException {
    private static final long serialVersionUID = 1L;

    private final long pageId;
    private final long offset;

    public BoltCorruptedException(long pageId, long offset, String reason) {
        super("bbolt file corrupted at page " + pageId + " (byte offset " + offset + "): " + reason);
        this.pageId = pageId;
        this.offset = offset;
    }

    public long pageId() {
        return pageId;
    }

    public long offset() {
        return offset;
    }
}
