package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.bolt.BoltCursor;
import dev.raftpipe.codecs.bolt.BoltSlice;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.internal.ExternalSort;

import dev.raftpipe.codecs.state.Revision;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.zip.CRC32C;

/**
 * Reads a whole db once for {@code db inspect}: every page reached exactly once, etcdutl's status hash and
 * counts, then etcd's {@code HashByRev} at the db's revision. Below the compact revision etcd hashes only
 * what its index keeps (each live key's newest revision), which needs the key-ordered view: a sort of
 * (key, revision) without values, and a second walk of the {@code key} bucket only when that skips
 * something.
 */
public final class DbInspector {
    private static final byte[] KEY_BUCKET = EtcdDb.KEY.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_VALUE = new byte[0];

    private DbInspector() {
    }

    public static DbInspection inspect(Path path, SnapshotTrailer.Check check, DbReadOptions options) throws IOException {
        try (EtcdDb db = EtcdDb.open(path, check)) {
            return inspect(db, options);
        }
    }

    public static DbInspection inspect(EtcdDb db, DbReadOptions options) throws IOException {
        DbMeta meta = db.meta();
        long compact = meta.effectiveCompactRevision();
        boolean skipCompactTombstone = meta.servedBy().map(EtcdVersion::hashSkipsCompactTombstone).orElse(false);
        CRC32C keyHash = new CRC32C();
        keyHash.update(KEY_BUCKET);
        var bolt = db.bolt();
        try (ExternalSort<IndexedRevision> index = new ExternalSort<>(IndexedRevision.KEY_ORDER,
                IndexedRevision.CODEC, options.sortMemoryBytes(), options.tempDir())) {
            boolean[] tombstoneAtCompact = {false};
            DbStatus status = DbStatus.walk(db, (e, r, tombstone) -> {
                byte[] buf = e.buffer();
                keyHash.update(buf, e.keyOffset(), e.keyLength());
                keyHash.update(buf, e.valueOffset(), e.valueLength());
                tombstoneAtCompact[0] |= tombstone && r.main() == compact;
                try {
                    index.add(new IndexedRevision(EtcdValues.keyOf(buf, e.valueOffset(), e.valueLength(), r),
                            r.main(), r.sub(), tombstone, NO_VALUE));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            Skips skips = skips(index.sorted(), compact, options);
            try (skips.set) {
                long hashKv;
                if (skips.set.count() == 0 && !(skipCompactTombstone && tombstoneAtCompact[0])) {
                    hashKv = keyHash.getValue();
                } else {
                    hashKv = hashByRev(db, compact, skips, skipCompactTombstone);
                }
                return new DbInspection(bolt.path(), bolt.size(), bolt.usedSize(), bolt.meta(), bolt.metaFallback(),
                        db.trailer(), status.buckets(), meta, db.members(), skips.liveKeys, index.count(),
                        status.totalKey(), status.statusHash(), hashKv, meta.revision(), compact, status.pagesReached());
            }
        }
    }

    /** Revisions at or below the compact revision that etcd's index does not keep, sorted by revision. */
    private record Skips(ExternalSort<Revision> set, long liveKeys) {
    }

    private static final ExternalSort.Codec<Revision> REVISION_CODEC = new ExternalSort.Codec<>() {
        @Override
        public void write(DataOutputStream out, Revision r) throws IOException {
            out.writeLong(r.main());
            out.writeLong(r.sub());
        }

        @Override
        public Revision read(DataInputStream in) throws IOException {
            return new Revision(in.readLong(), in.readLong());
        }

        @Override
        public long memoryBytes(Revision r) {
            return 32;
        }
    };

    private static Skips skips(Iterator<IndexedRevision> byKey, long compact, DbReadOptions options) throws IOException {
        ExternalSort<Revision> skip = new ExternalSort<>(Comparator.naturalOrder(), REVISION_CODEC,
                options.sortMemoryBytes(), options.tempDir());
        long live = 0;
        IndexedRevision previous = null;
        while (byKey.hasNext()) {
            IndexedRevision r = byKey.next();
            if (previous != null) {
                boolean sameKey = Arrays.equals(previous.key(), r.key());
                // keep(rev) holds each key's newest revision when it is not a tombstone; older ones are skipped
                if (sameKey || previous.tombstone()) {
                    if (previous.main() <= compact) {
                        skip.add(previous.revision());
                    }
                } else {
                    live++;
                }
            }
            previous = r;
        }
        if (previous != null) {
            if (previous.tombstone()) {
                if (previous.main() <= compact) {
                    skip.add(previous.revision());
                }
            } else {
                live++;
            }
        }
        // etcd skips nothing for the index when its keep set is empty (len(keep) == 0)
        if (live == 0) {
            skip.close();
            skip = new ExternalSort<>(Comparator.naturalOrder(), REVISION_CODEC, options.sortMemoryBytes(), options.tempDir());
        }
        return new Skips(skip, live);
    }

    private static long hashByRev(EtcdDb db, long compact, Skips skips, boolean skipCompactTombstone) throws IOException {
        CRC32C h = new CRC32C();
        h.update(KEY_BUCKET);
        Iterator<Revision> skip = skips.set.sorted();
        Revision nextSkip = skip.hasNext() ? skip.next() : null;
        BoltCursor c = db.bolt().cursor(db.bolt().bucket(EtcdDb.KEY).orElseThrow());
        for (BoltSlice e = c.nextSlice(); e != null; e = c.nextSlice()) {
            byte[] buf = e.buffer();
            Revision r = Revision.parse(buf, e.keyOffset(), e.keyLength());
            while (nextSkip != null && nextSkip.compareTo(r) < 0) {
                nextSkip = skip.hasNext() ? skip.next() : null;
            }
            if (nextSkip != null && nextSkip.equals(r)) {
                continue;
            }
            if (skipCompactTombstone && r.main() == compact && e.keyLength() == Revision.TOMBSTONE_BYTES) {
                continue;
            }
            h.update(buf, e.keyOffset(), e.keyLength());
            h.update(buf, e.valueOffset(), e.valueLength());
        }
        return h.getValue();
    }
}
