package dev.raftpipe.codecs.bolt;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One window of the file read ahead of a cursor: bbolt allocates a bucket's leaves mostly in file order, so a
 * walk reads a window at a time instead of a page at a time. Memory: one window a cursor.
 */
final class ReadAhead {
    private final byte[] window;
    private long start = -1;
    private int filled;

    ReadAhead(int bytes) {
        this.window = new byte[bytes];
    }

    /** Copies {@code [at, at + length)} of the file (which must lie below {@code limit}) into {@code dst}. */
    void read(FileChannel channel, long at, byte[] dst, int dstOffset, int length, long limit) throws IOException {
        if (start < 0 || at < start || at + length > start + filled) {
            if (length > window.length) {
                readFully(channel, ByteBuffer.wrap(dst, dstOffset, length), at);
                return;
            }
            int n = (int) Math.min(window.length, Math.max(length, limit - at));
            readFully(channel, ByteBuffer.wrap(window, 0, n), at);
            start = at;
            filled = n;
        }
        System.arraycopy(window, (int) (at - start), dst, dstOffset, length);
    }

    static void readFully(FileChannel channel, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = channel.read(b, at);
            if (n < 0) {
                throw new EOFException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }
}
