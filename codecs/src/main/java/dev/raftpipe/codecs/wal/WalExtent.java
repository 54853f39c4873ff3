package dev.raftpipe.codecs.wal;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;

/**
 * How many bytes of records a WAL directory holds, for the progress line's ETA. etcd truncates a
 * segment when it cuts the next one, but the last segment is preallocated (64 MB of zeros): its used
 * part ends at its last non-zero byte, found by reading back from the end.
 */
public final class WalExtent {
    private static final int CHUNK = 1 << 20;

    private WalExtent() {
    }

    public static OptionalLong bytes(Path walDir) {
        try {
            List<WalSegment> segments = WalSegment.list(walDir);
            long total = 0;
            for (WalSegment segment : segments.subList(0, segments.size() - 1)) {
                total += Files.size(segment.path());
            }
            return OptionalLong.of(total + usedBytes(segments.get(segments.size() - 1).path()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // no ETA; the source itself reports what is wrong
        }
    }

    private static long usedBytes(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            for (long end = ch.size(); end > 0; ) {
                long start = Math.max(0, end - CHUNK);
                buf.clear().limit((int) (end - start));
                while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
                    // fills the chunk
                }
                for (int i = buf.position() - 1; i >= 0; i--) {
                    if (buf.get(i) != 0) {
                        return start + i + 1;
                    }
                }
                end = start;
            }
            return 0;
        }
    }
}
