package dev.raftpipe.codecs.bolt;

import dev.raftpipe.codecs.io.FileErrors;
import dev.raftpipe.codecs.io.PrivateFiles;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes a new, compact bbolt file (the layout go.etcd.io/bbolt 1.3.x reads) from top-level buckets whose
 * keys arrive in order, bottom-up: leaf pages are written as they fill, with one open page a branch level, so
 * memory is bounded by the tree's depth and the page size. Small buckets are inlined as bbolt would inline them
 * (a quarter page at most); a value larger than a page gets overflow pages. Page ids run from 2 with no gaps,
 * and the metas say freelist {@code 0xFFFFFFFFFFFFFFFF}, as etcd's {@code NoFreelistSync} files do: bbolt
 * rebuilds the freelist by scanning when it opens the file for writing, and finds every page reachable.
 *
 * <pre>
 * try (BoltWriter w = BoltWriter.create(path, 4096)) {
 *     w.beginBucket("key"); w.put(k1, v1); w.put(k2, v2); w.endBucket();
 *     w.beginBucket("meta"); ...; w.endBucket();
 *     w.finish();     // root bucket, then both metas; the caller fsyncs and renames
 * }
 * </pre>
 */
public final class BoltWriter implements Closeable {
    private final Path file;
    private final FileChannel out;
    private final int pageSize;
    private long nextPage = 2;
    private final TreeBuilder root;
    private TreeBuilder bucket;
    private String bucketName;
    private byte[] lastBucketName;
    private boolean finished;
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
    private long pendingAt;
    /** etcdutl snapshot status's hash of what was written: bucket names, keys and values, in order. */
    private final CRC32C statusHash = new CRC32C();

    private BoltWriter(Path file, FileChannel out, int pageSize) {
        this.file = file;
        this.out = out;
        this.pageSize = pageSize;
        this.root = new TreeBuilder();
    }

    public static BoltWriter create(Path file, int pageSize) throws IOException {
        if (pageSize < 1024 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two of at least 1024, not " + pageSize);
        }
        return new BoltWriter(file, FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PrivateFiles.FILE), pageSize);
    }

    /** Starts a top-level bucket; names must come in increasing byte order. */
    public void beginBucket(String name) {
        if (bucket != null || finished) {
            throw new IllegalStateException("a bucket is open or the file is finished");
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (lastBucketName != null && Arrays.compareUnsigned(lastBucketName, n) >= 0) {
            throw new IllegalArgumentException("bucket " + name + " is not after " + new String(lastBucketName, StandardCharsets.UTF_8));
        }
        lastBucketName = n;
        statusHash.update(n);
        bucketName = name;
        bucket = new TreeBuilder();
    }

    /** Adds a key to the open bucket; keys must come in strictly increasing byte order. */
    public void put(byte[] key, byte[] value) throws IOException {
        if (bucket == null) {
            throw new IllegalStateException("no bucket is open");
        }
        bucket.add(key, value, 0);
        statusHash.update(key);
        statusHash.update(value);
    }

    /** The CRC-32C {@code etcdutl snapshot status} prints for this file, over what was written so far. */
    public long statusHash() {
        return statusHash.getValue();
    }

    public void endBucket() throws IOException {
        byte[] header = bucket.finishAsBucket();
        root.add(bucketName.getBytes(StandardCharsets.UTF_8), header, BoltPage.BUCKET_LEAF_FLAG);
        bucket = null;
    }

    /** Writes the root bucket's pages and both metas; returns the pages written (metas included). */
    public long finish() throws IOException {
        if (bucket != null) {
            throw new IllegalStateException("bucket " + bucketName + " is still open");
        }
        long rootPage = root.finishAsTree();
        flush();
        for (int m = 0; m < 2; m++) {
            byte[] page = new byte[pageSize];
            BoltBytes.putU64(page, 0, m);
            page[8] = (byte) BoltPage.META;
            int at = BoltPage.HEADER;
            BoltBytes.putI32(page, at, BoltMeta.MAGIC);
            BoltBytes.putI32(page, at + 4, BoltMeta.VERSION);
            BoltBytes.putI32(page, at + 8, pageSize);
            BoltBytes.putI32(page, at + 12, 0);
            BoltBytes.putU64(page, at + 16, rootPage);
            BoltBytes.putU64(page, at + 24, 0);
            BoltBytes.putU64(page, at + 32, BoltMeta.NO_FREELIST);
            BoltBytes.putU64(page, at + 40, nextPage);
            BoltBytes.putU64(page, at + 48, m + 1); // txid 1 and 2: the reader takes page 1's, both are valid
            BoltBytes.putU64(page, at + 56, BoltBytes.fnv1a64(page, at, at + 56));
            write(m, page, pageSize);
        }
        finished = true;
        return nextPage;
    }

    /** Bytes the file will hold: {@code pgid × page_size}. */
    public long size() {
        return nextPage * pageSize;
    }

    public void force() throws IOException {
        try {
            out.force(true);
        } catch (IOException e) {
            throw FileErrors.naming(file, e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Pages are allocated in file order, so they are gathered into one sequential buffer and written a megabyte at
     * a time; the metas (pages 0 and 1) go straight to their place.
     */
    private void write(long id, byte[] page, int length) throws IOException {
        if (id < 2) {
            flush();
            writeAt(ByteBuffer.wrap(page, 0, length), id * pageSize);
            return;
        }
        if (pending.position() > 0 && pendingAt + pending.position() != id * pageSize) {
            flush();
        }
        if (pending.position() == 0) {
            pendingAt = id * pageSize;
        }
        if (length > pending.remaining()) {
            flush();
            pendingAt = id * pageSize;
            if (length > pending.capacity()) {
                writeAt(ByteBuffer.wrap(page, 0, length), pendingAt);
                return;
            }
        }
        pending.put(page, 0, length);
    }

    private void flush() throws IOException {
        pending.flip();
        writeAt(pending, pendingAt);
        pending.clear();
    }

    private void writeAt(ByteBuffer b, long at) throws IOException {
        try {
            while (b.hasRemaining()) {
                at += out.write(b, at);
            }
        } catch (IOException e) {
            throw FileErrors.naming(file, e);
        }
    }

    /** Writes a leaf or branch page from its elements; returns its id. */
    private long writePage(List<Element> elements, boolean leaf) throws IOException {
        int size = pageBytes(elements);
        int pages = (size + pageSize - 1) / pageSize;
        byte[] page = new byte[pages * pageSize];
        long id = nextPage;
        nextPage += pages;
        fill(page, id, elements, leaf, pages - 1);
        write(id, page, page.length);
        return id;
    }

    private static int pageBytes(List<Element> elements) {
        int size = BoltPage.HEADER;
        for (Element e : elements) {
            size += BoltPage.ELEMENT + e.key.length + e.value.length;
        }
        return size;
    }

    /** Lays out a page as bbolt's node.write does: element headers, then each key and value in order. */
    private static void fill(byte[] page, long id, List<Element> elements, boolean leaf, int overflow) {
        BoltBytes.putU64(page, 0, id);
        page[8] = (byte) (leaf ? BoltPage.LEAF : BoltPage.BRANCH);
        page[10] = (byte) elements.size();
        page[11] = (byte) (elements.size() >>> 8);
        BoltBytes.putI32(page, 12, overflow);
        int data = BoltPage.HEADER + elements.size() * BoltPage.ELEMENT;
        for (int i = 0; i < elements.size(); i++) {
            Element e = elements.get(i);
            int at = BoltPage.HEADER + i * BoltPage.ELEMENT;
            if (leaf) {
                BoltBytes.putI32(page, at, e.flags);
                BoltBytes.putI32(page, at + 4, data - at);
                BoltBytes.putI32(page, at + 8, e.key.length);
                BoltBytes.putI32(page, at + 12, e.value.length);
            } else {
                BoltBytes.putI32(page, at, data - at);
                BoltBytes.putI32(page, at + 4, e.key.length);
                BoltBytes.putU64(page, at + 8, e.child);
            }
            System.arraycopy(e.key, 0, page, data, e.key.length);
            data += e.key.length;
            System.arraycopy(e.value, 0, page, data, e.value.length);
            data += e.value.length;
        }
    }

    private record Element(byte[] key, byte[] value, int flags, long child) {
        static Element leaf(byte[] key, byte[] value, int flags) {
            return new Element(key, value, flags, 0);
        }

        static Element branch(byte[] key, long child) {
            return new Element(key, new byte[0], 0, child);
        }
    }

    /**
     * One B+tree built bottom-up. Until its entries pass a quarter page it keeps them, so that a small bucket can
     * be inlined into its parent as bbolt does; past that, full leaves are written and their first keys go up a
     * level, and so on.
     */
    private final class TreeBuilder {
        private final List<Element> pending = new ArrayList<>();
        private int pendingBytes = BoltPage.HEADER;
        private final List<List<Element>> levels = new ArrayList<>(); // levels.get(0) holds (first key, leaf id)
        private final List<Integer> levelBytes = new ArrayList<>();
        private byte[] lastKey;
        private boolean spilled;
        private boolean hasNestedBucket;

        void add(byte[] key, byte[] value, int flags) throws IOException {
            if (lastKey != null && Arrays.compareUnsigned(lastKey, key) >= 0) {
                throw new IllegalArgumentException("keys must come in strictly increasing order");
            }
            lastKey = key;
            hasNestedBucket |= flags != 0;
            int bytes = BoltPage.ELEMENT + key.length + value.length;
            if (pendingBytes + bytes > pageSize && !pending.isEmpty()) {
                flushLeaf();
            }
            pending.add(Element.leaf(key, value, flags));
            pendingBytes += bytes;
            if (!spilled && pendingBytes > pageSize / 4) {
                spilled = true;
            }
        }

        private void flushLeaf() throws IOException {
            long id = writePage(pending, true);
            pushUp(0, pending.get(0).key, id);
            pending.clear();
            pendingBytes = BoltPage.HEADER;
            spilled = true;
        }

        private void pushUp(int level, byte[] firstKey, long child) throws IOException {
            if (levels.size() == level) {
                levels.add(new ArrayList<>());
                levelBytes.add(BoltPage.HEADER);
            }
            List<Element> branch = levels.get(level);
            int bytes = BoltPage.ELEMENT + firstKey.length;
            if (levelBytes.get(level) + bytes > pageSize && branch.size() >= 2) {
                long id = writePage(branch, false);
                byte[] first = branch.get(0).key;
                branch.clear();
                levelBytes.set(level, BoltPage.HEADER);
                pushUp(level + 1, first, id);
            }
            branch.add(Element.branch(firstKey, child));
            levelBytes.set(level, levelBytes.get(level) + bytes);
        }

        /** The bucket's value in its parent: the 16-byte header, then the inline page if it fits one. */
        byte[] finishAsBucket() throws IOException {
            byte[] header = new byte[16];
            if (!spilled && !hasNestedBucket) {
                byte[] inline = new byte[pageBytes(pending)];
                fill(inline, 0, pending, true, 0);
                byte[] value = Arrays.copyOf(header, 16 + inline.length);
                System.arraycopy(inline, 0, value, 16, inline.length);
                return value;
            }
            BoltBytes.putU64(header, 0, finishAsTree());
            return header;
        }

        /** Writes what is left, level by level; returns the root page's id. */
        long finishAsTree() throws IOException {
            if (!pending.isEmpty() || levels.isEmpty()) {
                long id = writePage(pending, true);
                if (levels.isEmpty()) {
                    return id;
                }
                pushUp(0, pending.get(0).key, id);
                pending.clear();
            }
            for (int level = 0; ; level++) {
                List<Element> branch = levels.get(level);
                boolean top = level == levels.size() - 1;
                if (top && branch.size() == 1) {
                    return branch.get(0).child;
                }
                long id = writePage(branch, false);
                if (top) {
                    return id;
                }
                pushUp(level + 1, branch.get(0).key, id);
            }
        }
    }
}
