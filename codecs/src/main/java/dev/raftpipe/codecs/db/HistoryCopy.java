package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.bolt.BoltCursor;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.bolt.BoltSlice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An etcd db's every bucket copied as stored into a new bbolt file: the full MVCC history (every stored revision
 * and tombstone), the compaction marks and the rest unchanged, so that a member restored from it computes the
 * same {@code hashkv} as the source's. A fresh, compact file: no free page keeps an old value.
 */
public final class HistoryCopy implements DbContent {
    private final EtcdDb source;

    public HistoryCopy(EtcdDb source) {
        this.source = source;
    }

    @Override
    public EtcdDbWriter.Written writeTo(dev.raftpipe.codecs.bolt.BoltWriter out) throws IOException {
        var bolt = source.bolt();
        long keys = 0;
        long leases = 0;
        long members = 0;
        BoltCursor top = bolt.cursor(bolt.root());
        for (BoltEntry b = top.next(); b != null; b = top.next()) {
            String name = new String(b.key(), StandardCharsets.UTF_8);
            if (!b.bucket()) {
                throw new DbCorruptedException("the root bucket holds a plain key " + name + " where etcd keeps only buckets");
            }
            out.beginBucket(name);
            BoltCursor c = bolt.cursor(bolt.nested(name, b));
            long n = 0;
            for (BoltSlice e = c.nextSlice(); e != null; e = c.nextSlice()) {
                if (e.bucket()) {
                    throw new DbCorruptedException("bucket " + name + " holds a nested bucket, which etcd never writes");
                }
                byte[] buf = e.buffer();
                out.put(Arrays.copyOfRange(buf, e.keyOffset(), e.keyOffset() + e.keyLength()),
                        Arrays.copyOfRange(buf, e.valueOffset(), e.valueOffset() + e.valueLength()));
                n++;
            }
            out.endBucket();
            switch (name) {
                case EtcdDb.KEY -> keys = n;
                case EtcdDb.LEASE -> leases = n;
                case EtcdDb.MEMBERS -> members = n;
                default -> {
                    // counted only in the status hash
                }
            }
        }
        long pages = out.finish();
        DbMeta m = source.meta();
        return new EtcdDbWriter.Written(keys, -1, leases, members, m.revision(), m.consistentIndex(), pages,
                EtcdDbWriter.Layout.forClusterVersion(m.clusterVersion()));
    }
}
