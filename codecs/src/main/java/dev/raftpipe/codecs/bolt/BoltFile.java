package dev.raftpipe.codecs.bolt;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A bbolt file opened read-only (go.etcd.io/bbolt 1.3.x, as etcd 3.4 and 3.5 write it). Pages are read
 * with positioned reads as cursors reach them, so walking a bucket holds one page per tree level.
 * Bytes past {@code pgid × page_size} (bbolt grows files in steps; an etcdctl snapshot's trailer) are
 * never read here.
 */
public final class BoltFile implements Closeable {
    private static final int META_BYTES = 64;
    /**
     * The largest page (with its overflow) a reader accepts. bbolt makes a page this big only for a value
     * this big, and etcd refuses requests over --max-request-bytes (1.5 MiB by default, 10 MiB advised at
     * most); a larger overflow count is damage, and reading it would exhaust the heap.
     */
    static final long MAX_PAGE_BYTES = 256L << 20;
    private static final int[] PAGE_SIZES = {4096, 512, 1024, 2048, 8192, 16384, 32768, 65536};

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final BoltMeta meta;
    private final MetaFallback fallback;

    private BoltFile(Path path, FileChannel channel, long size, BoltMeta meta, MetaFallback fallback) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.meta = meta;
        this.fallback = fallback;
    }

    /**
     * Refuses a file without a bbolt meta page that looks like another kind raftpipe knows (a WAL segment, a
     * {@code .snap}, an archive), before anything else is said about it, such as that it lacks a snapshot trailer.
     */
    public static void refuseOtherKinds(Path path) throws IOException {
        if (!holdsMeta(path)) {
            Optional<String> kind = FileKinds.recognise(path);
            if (kind.isPresent()) {
                throw new NotABoltFileException(path, kind.get());
            }
        }
    }

    /**
     * Whether a file holds a bbolt meta page: page 0's magic, or, when that one is damaged, page 1's at any page size
     * bbolt uses, as {@link #open} would still open it through page 1.
     */
    public static boolean holdsMeta(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (magicAt(ch, BoltPage.HEADER)) {
                return true;
            }
            for (int pageSize : PAGE_SIZES) {
                if (magicAt(ch, (long) pageSize + BoltPage.HEADER)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean magicAt(FileChannel ch, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                return false;
            }
        }
        return BoltBytes.i32(b.array(), 0) == BoltMeta.MAGIC;
    }

    public static BoltFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            BoltFile file = withMetas(path, channel, size);
            channel = null;
            return file;
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static BoltFile withMetas(Path path, FileChannel channel, long size) throws IOException {
        if (size < 2 * 512) {
            throw new BoltCorruptedException(0, 0, "the file has " + size + " bytes, too few for bbolt's two meta pages");
        }
        MetaRead first = readMeta(channel, size, 0, 0);
        int pageSize = first.meta != null ? first.meta.pageSize() : 0;
        MetaRead second = null;
        for (int candidate : pageSize != 0 ? new int[] {pageSize} : PAGE_SIZES) {
            second = readMeta(channel, size, 1, candidate);
            if (second.meta != null && second.meta.pageSize() == candidate) {
                break;
            }
        }
        BoltMeta m0 = first.meta;
        BoltMeta m1 = second.meta != null && (m0 == null || second.meta.pageSize() == m0.pageSize()) ? second.meta : null;
        if (m0 == null && m1 == null && NO_MAGIC.equals(first.problem)) {
            Optional<String> kind = FileKinds.recognise(path);
            if (kind.isPresent()) {
                throw new NotABoltFileException(path, kind.get());
            }
        }
        if (m0 == null && m1 == null) {
            throw new BoltCorruptedException(0, 0, "both meta pages are invalid (page 0: " + first.problem
                    + "; page 1: " + (second.meta == null ? second.problem : "page size differs from page 0's") + ")");
        }
        BoltMeta chosen;
        MetaFallback fallback = null;
        if (m0 != null && m1 != null) {
            chosen = m1.txid() > m0.txid() ? m1 : m0;
        } else {
            chosen = m0 != null ? m0 : m1;
            MetaRead damaged = chosen.page() == 0 ? second : first;
            fallback = new MetaFallback(path, chosen.page() == 0 ? 1 : 0,
                    chosen.page() == 0 && second.meta != null ? "page size differs from page 0's" : damaged.problem,
                    damaged.rawTxid, chosen.page(), chosen.txid());
        }
        long used = chosen.highWater() * chosen.pageSize();
        if (chosen.highWater() < 2 || used > size || used / chosen.pageSize() != chosen.highWater()) {
            throw new BoltCorruptedException(chosen.page(), (long) chosen.page() * chosen.pageSize(),
                    "meta says " + chosen.highWater() + " pages of " + chosen.pageSize() + " bytes but the file has "
                            + size + " bytes (truncated?)");
        }
        if (fallback != null) {
            MetaFallback.report(fallback);
        }
        return new BoltFile(path, channel, size, chosen, fallback);
    }

    /** @param rawTxid the txid field of a page whose magic is right, as written (unverified when it is invalid) */
    private record MetaRead(BoltMeta meta, String problem, OptionalLong rawTxid) {
        MetaRead(BoltMeta meta, String problem) {
            this(meta, problem, OptionalLong.empty());
        }
    }

    private static final String NO_MAGIC = "no bbolt magic";

    private static MetaRead readMeta(FileChannel channel, long size, int page, int pageSize) throws IOException {
        long at = (long) page * pageSize;
        if (at + BoltPage.HEADER + META_BYTES > size) {
            return new MetaRead(null, "past the end of the file");
        }
        byte[] b = new byte[BoltPage.HEADER + META_BYTES];
        ReadAhead.readFully(channel, ByteBuffer.wrap(b), at);
        long id = BoltBytes.u64(b, 0);
        int flags = b[8] & 0xff | (b[9] & 0xff) << 8;
        int m = BoltPage.HEADER;
        if (BoltBytes.i32(b, m) != BoltMeta.MAGIC) {
            return new MetaRead(null, NO_MAGIC);
        }
        OptionalLong txid = OptionalLong.of(BoltBytes.u64(b, m + 48));
        if (BoltBytes.i32(b, m + 4) != BoltMeta.VERSION) {
            return new MetaRead(null, "version " + BoltBytes.i32(b, m + 4) + ", not 2", txid);
        }
        if (BoltBytes.u64(b, m + 56) != BoltBytes.fnv1a64(b, m, m + 56)) {
            return new MetaRead(null, "checksum mismatch", txid);
        }
        if (id != page || flags != BoltPage.META) {
            return new MetaRead(null, "header says page " + id + " with flags 0x" + Integer.toHexString(flags), txid);
        }
        int ps = BoltBytes.i32(b, m + 8);
        if (ps < 512 || Integer.bitCount(ps) != 1) {
            return new MetaRead(null, "page size " + ps);
        }
        return new MetaRead(new BoltMeta(page, ps, BoltBytes.i32(b, m + 12), BoltBytes.u64(b, m + 16),
                BoltBytes.u64(b, m + 24), BoltBytes.u64(b, m + 32), BoltBytes.u64(b, m + 40),
                BoltBytes.u64(b, m + 48)), null);
    }

    public Path path() {
        return path;
    }

    /** The file's length in bytes (may exceed the pages in use). */
    public long size() {
        return size;
    }

    public BoltMeta meta() {
        return meta;
    }

    public int pageSize() {
        return meta.pageSize();
    }

    /** Bytes in use, {@code pgid × page_size}: what bbolt's {@code tx.Size()} reports. */
    public long usedSize() {
        return meta.highWater() * meta.pageSize();
    }

    /** The meta page that was not used and why, when one of the two was invalid. */
    public Optional<MetaFallback> metaFallback() {
        return Optional.ofNullable(fallback);
    }

    public BoltBucket root() {
        return new BoltBucket("", meta.rootPage(), meta.rootSequence(), null);
    }

    /** A cursor over a bucket that remembers the pages it reached, so a cycle fails instead of looping. */
    public BoltCursor cursor(BoltBucket bucket) {
        return cursor(bucket, new PageVisits());
    }

    /** A cursor sharing {@code visits} with others: over a whole file, a page reached twice is corruption. */
    public BoltCursor cursor(BoltBucket bucket, PageVisits visits) {
        return new BoltCursor(this, bucket, visits);
    }

    /** The last entry of a bucket (its greatest key), reached by the rightmost path; {@code null} if empty. */
    public BoltEntry last(BoltBucket bucket) {
        return cursor(bucket).last();
    }

    /** The top-level bucket named {@code name}, if the root bucket holds one. */
    public Optional<BoltBucket> bucket(String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        BoltCursor c = cursor(root());
        BoltEntry e;
        while ((e = c.next()) != null) {
            int cmp = Arrays.compareUnsigned(e.key(), wanted);
            if (cmp == 0) {
                return e.bucket() ? Optional.of(nested(name, e)) : Optional.empty();
            }
            if (cmp > 0) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The bucket whose header is {@code entry}'s value. */
    public BoltBucket nested(String name, BoltEntry entry) {
        byte[] v = entry.value();
        if (!entry.bucket() || v.length < 16) {
            throw new BoltCorruptedException(0, 0, "bucket " + name + " has a " + v.length + "-byte header, not 16");
        }
        long root = BoltBytes.u64(v, 0);
        long sequence = BoltBytes.u64(v, 8);
        return new BoltBucket(name, root, sequence, root == 0 ? Arrays.copyOfRange(v, 16, v.length) : null);
    }

    /** Reads page {@code id} with its overflow pages into {@code into} (grown as needed). */
    BoltPage readPage(long id, byte[][] into, PageVisits visits, long parent, ReadAhead ahead) throws IOException {
        int pageSize = meta.pageSize();
        if (id < 2 || id >= meta.highWater()) {
            throw new BoltCorruptedException(parent, parent * pageSize, "points to page " + id
                    + ", outside the pages in use (2.." + (meta.highWater() - 1) + ")");
        }
        long at = id * pageSize;
        byte[] buf = into[0].length >= pageSize ? into[0] : (into[0] = new byte[pageSize]);
        long limit = usedSize();
        ahead.read(channel, at, buf, 0, pageSize, limit);
        long headerId = BoltBytes.u64(buf, 0);
        if (headerId != id) {
            throw new BoltCorruptedException(id, at, "the page header says page " + headerId);
        }
        long overflow = BoltBytes.i32(buf, 12) & 0xffffffffL;
        if (id + overflow >= meta.highWater()) {
            throw new BoltCorruptedException(id, at + 12, "overflow of " + overflow + " pages runs past the pages in use");
        }
        if ((overflow + 1) * pageSize > MAX_PAGE_BYTES) {
            throw new BoltCorruptedException(id, at + 12, "overflow of " + overflow + " pages makes a page larger than "
                    + (MAX_PAGE_BYTES >> 20) + " MiB");
        }
        visits.mark(id, overflow, at);
        int length = (int) ((overflow + 1) * pageSize);
        if (overflow > 0) {
            if (buf.length < length) {
                buf = into[0] = Arrays.copyOf(buf, length);
            }
            ahead.read(channel, at + pageSize, buf, pageSize, length - pageSize, limit);
        }
        return BoltPage.of(id, at, buf, 0, length);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
