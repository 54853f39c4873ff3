package dev.raftpipe.codecs.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** I/O errors that name the file: a write to a full disk says only "No space left on device". */
public final class FileErrors {
    private FileErrors() {
    }

    /** {@code e} when it names its file already, else an error that does, with {@code e} as its cause. */
    public static IOException naming(Path file, IOException e) {
        return e instanceof FileSystemException f && f.getFile() != null ? e
                : new IOException(file + ": " + e.getMessage(), e);
    }
}
