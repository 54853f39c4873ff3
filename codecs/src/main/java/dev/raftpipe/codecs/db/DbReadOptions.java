package dev.raftpipe.codecs.db;

import java.nio.file.Path;

/**
 * How a db is read where the {@code key} bucket must be seen in key order: how much memory the sort may hold
 * before it spills runs to {@code tempDir}.
 */
public record DbReadOptions(long sortMemoryBytes, Path tempDir) {
    public DbReadOptions {
        if (sortMemoryBytes < 64 << 10) {
            throw new IllegalArgumentException("sort memory must be at least 64 KiB, not " + sortMemoryBytes);
        }
    }

    public static DbReadOptions defaults() {
        return new DbReadOptions(64L << 20, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public DbReadOptions withSortMemoryBytes(long bytes) {
        return new DbReadOptions(bytes, tempDir);
    }

    public DbReadOptions withTempDir(Path dir) {
        return new DbReadOptions(sortMemoryBytes, dir);
    }
}
