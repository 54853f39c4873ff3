package dev.raftpipe.codecs.internal;

import dev.raftpipe.codecs.io.PrivateFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts more records than fit in memory: runs of at most {@code memoryBytes} are sorted and spilled to
 * temp files (0600, removed on {@link #close()}), then merged. Nothing is spilled when everything fits.
 * INTERNAL API.
 */
public final class ExternalSort<T> implements Closeable {
    /** How a record is written to a run file and how much memory it takes. */
    public interface Codec<T> {
        void write(DataOutputStream out, T record) throws IOException;

        T read(DataInputStream in) throws IOException;

        long memoryBytes(T record);
    }

    private final Comparator<? super T> order;
    private final Codec<T> codec;
    private final long memoryBytes;
    private final Path tempDir;
    private final List<Path> runs = new ArrayList<>();
    private final List<Closeable> open = new ArrayList<>();
    private List<T> buffer = new ArrayList<>();
    private long buffered;
    private long count;

    public ExternalSort(Comparator<? super T> order, Codec<T> codec, long memoryBytes, Path tempDir) {
        this.order = order;
        this.codec = codec;
        this.memoryBytes = memoryBytes;
        this.tempDir = tempDir;
    }

    public void add(T record) throws IOException {
        buffer.add(record);
        buffered += codec.memoryBytes(record) + 16;
        count++;
        if (buffered >= memoryBytes) {
            spill();
        }
    }

    public long count() {
        return count;
    }

    /** Run files written so far (0 when everything stayed in memory). */
    public int spilledRuns() {
        return runs.size();
    }

    /** Every record added, in order; call once, after the last {@link #add}. */
    public Iterator<T> sorted() throws IOException {
        buffer.sort(order);
        if (runs.isEmpty()) {
            List<T> all = buffer;
            buffer = new ArrayList<>();
            return all.iterator();
        }
        spill();
        int bufferBytes = (int) Math.max(8 << 10, Math.min(1 << 20, memoryBytes / Math.max(1, runs.size()) / 2));
        PriorityQueue<Run<T>> heads = new PriorityQueue<>((a, b) -> order.compare(a.head, b.head));
        for (Path p : runs) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(p), bufferBytes));
            open.add(in);
            Run<T> run = new Run<>(in, codec);
            if (run.advance()) {
                heads.add(run);
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public T next() {
                Run<T> run = heads.poll();
                if (run == null) {
                    throw new NoSuchElementException();
                }
                T out = run.head;
                if (run.advance()) {
                    heads.add(run);
                }
                return out;
            }
        };
    }

    private void spill() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        buffer.sort(order);
        Path run = Files.createTempFile(tempDir, "raftpipe-sort-", ".run", PrivateFiles.FILE);
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            out.writeLong(buffer.size());
            for (T t : buffer) {
                codec.write(out, t);
            }
        }
        buffer = new ArrayList<>();
        buffered = 0;
    }

    private static final class Run<T> {
        private final DataInputStream in;
        private final Codec<T> codec;
        private long left = -1;
        T head;

        Run(DataInputStream in, Codec<T> codec) {
            this.in = in;
            this.codec = codec;
        }

        boolean advance() {
            try {
                if (left < 0) {
                    left = in.readLong();
                }
                if (left == 0) {
                    head = null;
                    return false;
                }
                left--;
                head = codec.read(in);
                return true;
            } catch (EOFException e) {
                throw new UncheckedIOException(new IOException("a sort run file ended early", e));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        for (Path p : runs) {
            Files.deleteIfExists(p);
        }
        runs.clear();
        buffer = new ArrayList<>();
        if (first != null) {
            throw first;
        }
    }
}
