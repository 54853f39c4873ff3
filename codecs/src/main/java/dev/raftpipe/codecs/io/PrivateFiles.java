package dev.raftpipe.codecs.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Files and directories as etcd keeps its data: 0600 and 0700 whatever the umask, because they hold every key of
 * a cluster (etcd itself warns when it starts on a more open data dir). Every output raftpipe creates goes
 * through here; permissions are given at creation, so there is no moment when the file is more open.
 */
public final class PrivateFiles {
    public static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    public static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private PrivateFiles() {
    }

    /** Like {@link Files#createDirectories}: the directories it creates are 0700, existing ones are left alone. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /** A new directory, 0700. */
    public static Path createDirectory(Path dir) throws IOException {
        return Files.createDirectory(dir, DIRECTORY);
    }

    /** A new empty file, 0600 (e.g. before SQLite opens it: its -wal and -shm files copy the mode). */
    public static Path createFile(Path file) throws IOException {
        return Files.createFile(file, FILE);
    }

    /** {@link FileChannel#open} that creates a missing file 0600. */
    public static FileChannel channel(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, new HashSet<>(List.of(options)), FILE);
    }

    /** A stream to {@code file}, created 0600 when missing (default: create or truncate, as Files does). */
    public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
        OpenOption[] opts = options.length > 0 ? options : new OpenOption[] {StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE};
        Set<OpenOption> set = new HashSet<>(List.of(opts));
        set.add(StandardOpenOption.WRITE);
        return Channels.newOutputStream(FileChannel.open(file, set, FILE));
    }

    /** {@link Files#write}, created 0600 when missing. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }
}
