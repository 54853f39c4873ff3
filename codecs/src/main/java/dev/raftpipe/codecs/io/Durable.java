package dev.raftpipe.codecs.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of a file written without syncing along the way, and of the directory a rename changed. */
public final class Durable {
    private Durable() {
    }

    public static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** After a create or rename in it: the directory entry itself reaches the disk. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** {@link #forceDirectory} of the directory holding {@code file}. */
    public static void forceDirectoryOf(Path file) throws IOException {
        forceDirectory(file.toAbsolutePath().getParent());
    }
}
