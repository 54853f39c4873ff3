package dev.raftpipe.codecs.wal;

import java.nio.file.NoSuchFileException;

/** A path given as a WAL directory that is no directory at all: the caller's mistake, not damaged data. */
public final class NotAWalDirectoryException extends NoSuchFileException {
    private static final long serialVersionUID = 1L;

    public NotAWalDirectoryException(String path, String reason) {
        super(path, null, reason);
    }
}
