package dev.raftpipe.codecs.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Passes bytes through unchanged and digests them on a thread of its own: an archive read hashes the whole file and
 * each entry, and on one thread those hashes cost more than inflating and decoding. The bytes are copied in 1 MiB
 * chunks to the digesting thread through a few buffers, so the reader runs ahead of it by at most those buffers.
 */
final class BackgroundDigestInputStream extends FilterInputStream {
    private static final int CHUNK = 1 << 20;
    private static final int BUFFERS = 4;
    private static final byte[] END = new byte[0];

    private final MessageDigest digest;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread hasher;
    private byte[] chunk;
    private int filled;
    private boolean ended;

    private record Chunk(byte[] bytes, int length) {
    }

    BackgroundDigestInputStream(InputStream in, MessageDigest digest) {
        super(in);
        this.digest = digest;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[CHUNK]);
        }
        this.hasher = new Thread(this::hash, "raftpipe-digest");
        hasher.setDaemon(true);
        hasher.start();
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            append(new byte[]{(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            append(b, off, n);
        }
        return n;
    }

    /** Skipped bytes are read, so that they are digested too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The digest of every byte read so far; the stream reads nothing more after it. */
    byte[] digest() throws IOException {
        finishHashing();
        return digest.digest();
    }

    /** Whether this stream's digesting thread still runs. */
    boolean hashing() {
        return hasher.isAlive();
    }

    /** Stops the digesting thread where the read ended early (a failure); the digest is then of no use. */
    void abandon() {
        try {
            finishHashing();
        } catch (IOException ignored) {
            // interrupted: the thread is a daemon and ends with its queue
        }
    }

    @Override
    public void close() throws IOException {
        try {
            finishHashing();
        } finally {
            super.close();
        }
    }

    private void append(byte[] b, int off, int len) throws IOException {
        if (ended) {
            throw new IllegalStateException("read after the digest was taken");
        }
        while (len > 0) {
            if (chunk == null) {
                chunk = take(free);
                filled = 0;
            }
            int n = Math.min(len, CHUNK - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == CHUNK) {
                hand(new Chunk(chunk, filled));
                chunk = null;
            }
        }
    }

    private void finishHashing() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        if (chunk != null && filled > 0) {
            hand(new Chunk(chunk, filled));
        }
        chunk = null;
        hand(new Chunk(END, 0));
        try {
            hasher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while digesting");
        }
    }

    private void hand(Chunk c) throws IOException {
        try {
            full.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while digesting");
        }
    }

    private static byte[] take(BlockingQueue<byte[]> q) throws IOException {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while digesting");
        }
    }

    private void hash() {
        try {
            for (Chunk c = full.take(); c.bytes() != END; c = full.take()) {
                digest.update(c.bytes(), 0, c.length());
                free.add(c.bytes());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
