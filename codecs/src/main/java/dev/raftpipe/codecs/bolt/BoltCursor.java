package dev.raftpipe.codecs.bolt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Walks one bucket in key order, holding the pages on the path from its root to the current leaf (one
 * buffer a level, reused). Checks what bbolt relies on: page ids and exact flags, element bounds, keys
 * in strictly increasing order, no page reached twice.
 */
public final class BoltCursor {
    private static final int MAX_DEPTH = 64;

    private final BoltFile file;
    private final BoltBucket bucket;
    private final PageVisits visits;
    private final List<Frame> stack = new ArrayList<>();
    private final List<byte[][]> buffers = new ArrayList<>();
    private final ReadAhead ahead = new ReadAhead(256 << 10);
    private final BoltSlice slice = new BoltSlice();
    private byte[] lastKey = new byte[64];
    private int lastKeyLength = -1;
    private boolean started;

    private static final class Frame {
        final BoltPage page;
        int index;

        Frame(BoltPage page) {
            this.page = page;
        }
    }

    BoltCursor(BoltFile file, BoltBucket bucket, PageVisits visits) {
        this.file = file;
        this.bucket = bucket;
        this.visits = visits;
    }

    /** The next entry, or {@code null} past the last one. */
    public BoltEntry next() {
        BoltSlice s = nextSlice();
        return s == null ? null : s.copy();
    }

    /** The next entry without copying it out of the page: valid until the cursor moves; {@code null} at the end. */
    public BoltSlice nextSlice() {
        try {
            if (!started) {
                started = true;
                push(rootPage());
            } else if (!stack.isEmpty()) {
                top().index++;
            }
            while (!stack.isEmpty()) {
                Frame f = top();
                if (f.index >= f.page.count) {
                    stack.remove(stack.size() - 1);
                    if (!stack.isEmpty()) {
                        top().index++;
                    }
                } else if (f.page.isBranch()) {
                    push(child(f));
                } else {
                    return slice(f);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The greatest key of the bucket, following the last child down; {@code null} if the bucket is empty. */
    BoltEntry last() {
        try {
            started = true;
            push(rootPage());
            while (top().page.isBranch()) {
                top().index = top().page.count - 1;
                push(child(top()));
            }
            Frame leaf = top();
            if (leaf.page.count == 0) {
                return null;
            }
            leaf.index = leaf.page.count - 1;
            return slice(leaf).copy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BoltPage rootPage() throws IOException {
        if (bucket.isInline()) {
            byte[] b = bucket.inline();
            if (b.length < BoltPage.HEADER) {
                throw new BoltCorruptedException(0, 0, "inline bucket " + bucket.name() + " holds " + b.length + " bytes");
            }
            long id = BoltBytes.u64(b, 0);
            if (id != 0) {
                throw new BoltCorruptedException(id, 0, "inline bucket " + bucket.name() + "'s page has id " + id + ", not 0");
            }
            BoltPage p = BoltPage.of(0, 0, b, 0, b.length);
            if (p.isBranch()) {
                throw new BoltCorruptedException(0, 0, "inline bucket " + bucket.name() + " holds a branch page");
            }
            return p;
        }
        return file.readPage(bucket.root(), buffer(0), visits, bucket.root(), ahead);
    }

    private BoltPage child(Frame f) throws IOException {
        byte[] key = f.page.key(f.index);
        if (f.index > 0 && Arrays.compareUnsigned(f.page.key(f.index - 1), key) >= 0) {
            throw f.page.corrupt(BoltPage.HEADER + f.index * BoltPage.ELEMENT, "branch keys out of order at element " + f.index);
        }
        if (stack.size() >= MAX_DEPTH) {
            throw f.page.corrupt(0, "tree deeper than " + MAX_DEPTH + " levels");
        }
        return file.readPage(f.page.child(f.index), buffer(stack.size()), visits, f.page.id, ahead);
    }

    private BoltSlice slice(Frame f) {
        BoltPage p = f.page;
        slice.set(p, f.index);
        byte[] b = p.buffer();
        int from = slice.keyOffset();
        int to = from + slice.keyLength();
        if (lastKeyLength >= 0 && Arrays.compareUnsigned(lastKey, 0, lastKeyLength, b, from, to) >= 0) {
            throw p.corrupt(BoltPage.HEADER + f.index * BoltPage.ELEMENT, "keys out of order in bucket "
                    + (bucket.name().isEmpty() ? "(root)" : bucket.name()) + " at element " + f.index);
        }
        if (lastKey.length < slice.keyLength()) {
            lastKey = new byte[Math.max(slice.keyLength(), lastKey.length * 2)];
        }
        System.arraycopy(b, from, lastKey, 0, slice.keyLength());
        lastKeyLength = slice.keyLength();
        return slice;
    }

    private void push(BoltPage page) {
        stack.add(new Frame(page));
    }

    private Frame top() {
        return stack.get(stack.size() - 1);
    }

    private byte[][] buffer(int level) {
        while (buffers.size() <= level) {
            buffers.add(new byte[][] {new byte[0]});
        }
        return buffers.get(level);
    }
}
