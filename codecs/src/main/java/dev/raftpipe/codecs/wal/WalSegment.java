package dev.raftpipe.codecs.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A WAL segment file, named {@code %016x-%016x.wal} after its sequence number and the raft index of
 * the first entry it was opened for.
 */
public record WalSegment(Path path, long seq, long index) {

    public static String fileName(long seq, long index) {
        return HexFormat.of().toHexDigits(seq) + "-" + HexFormat.of().toHexDigits(index) + ".wal";
    }

    /** Parses a segment file name; anything else (such as etcd's pre-created {@code 0.tmp}) is not one. */
    public static Optional<WalSegment> parse(Path path) {
        String name = path.getFileName().toString();
        if (name.length() != 37 || !name.endsWith(".wal") || name.charAt(16) != '-') {
            return Optional.empty();
        }
        try {
            long seq = Long.parseUnsignedLong(name.substring(0, 16), 16);
            long index = Long.parseUnsignedLong(name.substring(17, 33), 16);
            if (!name.equals(fileName(seq, index))) {
                return Optional.empty();
            }
            return Optional.of(new WalSegment(path, seq, index));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The segments of a WAL directory in log order. Sequence numbers must run without gaps (the first
     * may be any number: etcd purges old segments).
     */
    public static List<WalSegment> list(Path walDir) throws IOException {
        if (!Files.isDirectory(walDir)) {
            if (Files.exists(walDir)) {
                throw new NotAWalDirectoryException(walDir.toString(),
                        "not a directory; a WAL is a directory of *.wal segments (member/wal of a data dir)");
            }
            throw new NoSuchFileException(walDir.toString(), null, "not a WAL directory");
        }
        List<WalSegment> segments = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(walDir)) {
            for (Path p : dir) {
                parse(p).filter(s -> Files.isRegularFile(s.path())).ifPresent(segments::add);
            }
        }
        if (segments.isEmpty() && Files.isDirectory(walDir.resolve("member/wal"))) {
            throw new NotAWalDirectoryException(walDir.toString(), "a member's data dir, not its WAL: give "
                    + walDir.resolve("member/wal") + " (or the data dir with --data-dir)");
        }
        if (segments.isEmpty() && Files.isDirectory(walDir.resolve("wal")) && Files.isDirectory(walDir.resolve("snap"))) {
            throw new NotAWalDirectoryException(walDir.toString(), "an etcd member directory, not its WAL: give "
                    + walDir.resolve("wal") + " (or the data dir " + walDir.toAbsolutePath().getParent()
                    + " with --data-dir)");
        }
        if (segments.isEmpty()) {
            // a WAL directory etcd made always holds a segment: an empty one lost its data
            throw new WalCorruptedException(walDir, 0, "no WAL segments (*.wal) in the directory");
        }
        segments.sort(Comparator.comparingLong(WalSegment::seq));
        for (int i = 1; i < segments.size(); i++) {
            WalSegment prev = segments.get(i - 1);
            WalSegment cur = segments.get(i);
            if (cur.seq != prev.seq + 1) {
                throw new WalCorruptedException(cur.path, 0, "segment sequence jumps from " + prev.seq
                        + " to " + cur.seq + ": a segment is missing");
            }
            if (Long.compareUnsigned(cur.index, prev.index) < 0) {
                throw new WalCorruptedException(cur.path, 0, "segment start index " + cur.index
                        + " is below the previous segment's " + prev.index);
            }
        }
        return segments;
    }

    public String name() {
        return path.getFileName().toString();
    }
}
