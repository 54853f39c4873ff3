package dev.raftpipe.codecs.snap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A member's {@code member/snap} directory: its raft snapshot files, newest first as etcd loads them. */
public final class SnapDir {
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{16}-[0-9a-f]{16}\\.snap");

    private SnapDir() {
    }

    /** The {@code .snap} files, newest (highest term, then index: the name's order) first. */
    public static List<Path> files(Path snapDir) throws IOException {
        if (!Files.isDirectory(snapDir)) {
            throw new NoSuchFileException(snapDir.toString(), null, "no member/snap directory");
        }
        try (Stream<Path> s = Files.list(snapDir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString())).toList();
        }
    }

    /**
     * The newest snapshot, as etcd's snapshotter loads it; an unreadable one is corruption (etcd 3.4 would
     * fall back to an older file and rename the broken one, a repair raftpipe leaves to etcd).
     */
    public static Optional<SnapFile> newest(Path snapDir) throws IOException {
        List<Path> files = files(snapDir);
        return files.isEmpty() ? Optional.empty() : Optional.of(SnapFile.read(files.get(0)));
    }
}
