package dev.raftpipe.codecs.bolt;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file given as an etcd db that is another kind of file altogether (no bbolt magic in either meta page): named as
 * what it looks like, a usage mistake rather than a damaged db.
 */
public final class NotABoltFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public NotABoltFileException(Path file, String looksLike) {
        super(file + ": not an etcd db (bbolt) file: " + looksLike);
    }
}
