package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.bolt.BoltCursor;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.bolt.BoltSlice;
import dev.raftpipe.codecs.bolt.PageVisits;

import dev.raftpipe.codecs.state.Revision;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One walk of every bucket with every page reached exactly once, as {@code etcdutl snapshot status} walks them:
 * its hash (CRC-32C over each bucket's name, keys and values) and counts. Each {@code key}-bucket entry, checked to
 * be a revision, is also handed to a visitor, so a caller computing more (etcd's hash_kv) reads the file once.
 *
 * @param buckets entries per top-level bucket, in bbolt's order
 */
public record DbStatus(long statusHash, long totalKey, Map<String, Long> buckets, long pagesReached) {
    private static final byte[] KEY_BUCKET = EtcdDb.KEY.getBytes(StandardCharsets.US_ASCII);

    /** Sees each {@code key}-bucket entry (a slice of its page, valid during the call) with its parsed revision. */
    @FunctionalInterface
    public interface KeyVisitor {
        void visit(BoltSlice entry, Revision revision, boolean tombstone);
    }

    public DbStatus {
        buckets = Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
    }

    public long keyRevisions() {
        return buckets.getOrDefault(EtcdDb.KEY, 0L);
    }

    public static DbStatus walk(EtcdDb db, KeyVisitor keys) {
        CRC32C status = new CRC32C();
        Map<String, Long> buckets = new LinkedHashMap<>();
        long totalKey = 0;
        PageVisits visits = new PageVisits();
        var bolt = db.bolt();
        BoltCursor top = bolt.cursor(bolt.root(), visits);
        for (BoltEntry b = top.next(); b != null; b = top.next()) {
            String name = new String(b.key(), StandardCharsets.UTF_8);
            if (!b.bucket()) {
                throw new DbCorruptedException("the root bucket holds a plain key " + name + " where etcd keeps only buckets");
            }
            status.update(b.key());
            boolean isKey = Arrays.equals(b.key(), KEY_BUCKET);
            BoltCursor c = bolt.cursor(bolt.nested(name, b), visits);
            long n = 0;
            for (BoltSlice e = c.nextSlice(); e != null; e = c.nextSlice()) {
                byte[] buf = e.buffer();
                status.update(buf, e.keyOffset(), e.keyLength());
                if (!e.bucket()) {
                    status.update(buf, e.valueOffset(), e.valueLength()); // ForEach gives a nested bucket a nil value
                }
                n++;
                if (isKey) {
                    Revision r = Revision.parse(buf, e.keyOffset(), e.keyLength());
                    if (r == null || e.bucket()) {
                        throw new DbCorruptedException("key bucket: the key at page " + e.pageId() + " (element at byte "
                                + e.elementOffset() + ") is not a revision (8-byte main, '_', 8-byte sub, optional 't')");
                    }
                    keys.visit(e, r, e.keyLength() == Revision.TOMBSTONE_BYTES);
                }
            }
            buckets.put(name, n);
            totalKey += n;
        }
        return new DbStatus(status.getValue(), totalKey, buckets, visits.pages());
    }
}
