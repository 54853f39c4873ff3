package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.state.Revision;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.bolt.BoltCursor;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.bolt.BoltSlice;
import dev.raftpipe.codecs.bolt.BoltWriter;
import dev.raftpipe.codecs.redact.ValueMask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * An etcd db's every bucket copied into a new bbolt file: the full MVCC history (every stored revision and
 * tombstone), the compaction marks and the rest as stored, so that a member restored from it computes the same
 * {@code hashkv} as the source's; or, with a {@link HistoryEdit}, redacted revision by revision. A fresh, compact
 * file either way: no free page keeps an old value.
 */
public final class HistoryCopy implements DbContent {
    private final EtcdDb source;
    private final HistoryEdit edit;
    private final ValueMask mask;
    private HistoryEdit.Summary summary = HistoryEdit.Summary.NONE;

    public HistoryCopy(EtcdDb source) {
        this(source, HistoryEdit.NONE);
    }

    public HistoryCopy(EtcdDb source, HistoryEdit edit) {
        this.source = source;
        this.edit = edit;
        this.mask = edit.policy().maskPrefixes().isEmpty() ? null : new ValueMask(edit.policy().maskKey());
    }

    /** What the edit changed; read after {@link #writeTo}. */
    public HistoryEdit.Summary summary() {
        return summary;
    }

    @Override
    public EtcdDbWriter.Written writeTo(BoltWriter out) throws IOException {
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
            if (edit.dropAuth() && HistoryEdit.AUTH_BUCKETS.contains(name)) {
                continue;
            }
            out.beginBucket(name);
            BoltCursor c = bolt.cursor(bolt.nested(name, b));
            long n = name.equals(EtcdDb.KEY) && edit.policy().hasRules() ? copyRedacted(c, out)
                    : replacesMembership(name) ? writeMembership(name, out)
                    : copy(name, c, out);
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
                EtcdVersion.ofClusterVersion(m.clusterVersion()).orElse(EtcdVersion.NEWEST));
    }

    private boolean replacesMembership(String bucket) {
        return edit.soleMember().isPresent() && (bucket.equals(EtcdDb.MEMBERS) || bucket.equals(EtcdDb.MEMBERS_REMOVED));
    }

    private long writeMembership(String bucket, BoltWriter out) throws IOException {
        if (bucket.equals(EtcdDb.MEMBERS_REMOVED)) {
            return 0;
        }
        StateRecord.Member m = edit.soleMember().orElseThrow();
        out.put(Long.toHexString(m.id()).getBytes(StandardCharsets.US_ASCII), EtcdDbWriter.memberJson(m));
        return 1;
    }

    private long copy(String bucket, BoltCursor c, BoltWriter out) throws IOException {
        boolean newConfState = edit.soleMember().isPresent() && bucket.equals(EtcdDb.META);
        long n = 0;
        for (BoltSlice e = c.nextSlice(); e != null; e = c.nextSlice()) {
            if (e.bucket()) {
                throw new DbCorruptedException("bucket " + bucket + " holds a nested bucket, which etcd never writes");
            }
            byte[] key = key(e);
            if (newConfState && Arrays.equals(key, CONF_STATE)) {
                out.put(key, EtcdDbWriter.confStateJson(List.of(edit.soleMember().get().id()), List.of()));
            } else {
                out.put(key, value(e));
            }
            n++;
        }
        return n;
    }

    /**
     * The {@code key} bucket with the rules applied: masked values in every revision (tombstones hold no value),
     * dropped keys' revisions left out. etcd starts at its highest stored revision (or the finished compaction, if
     * higher): when the newest revisions were all dropped, an empty-value record at the source's top revision keeps
     * the revision from going backwards, as etcdutl's revision bump does.
     */
    private long copyRedacted(BoltCursor c, BoltWriter out) throws IOException {
        long n = 0;
        long masked = 0;
        long dropped = 0;
        long topSeen = 0;
        long topKept = 0;
        for (BoltSlice e = c.nextSlice(); e != null; e = c.nextSlice()) {
            byte[] buf = e.buffer();
            Revision rev = Revision.parse(buf, e.keyOffset(), e.keyLength());
            if (rev == null || e.bucket()) {
                throw new DbCorruptedException("key bucket: key " + HexFormat.of().formatHex(key(e))
                        + " is not a revision (8-byte main, '_', 8-byte sub, optional 't')");
            }
            topSeen = Math.max(topSeen, rev.main());
            byte[] userKey = EtcdValues.keyOf(buf, e.valueOffset(), e.valueLength(), rev);
            if (edit.policy().drops(userKey)) {
                dropped++;
                continue;
            }
            topKept = Math.max(topKept, rev.main());
            boolean tombstone = e.keyLength() == Revision.TOMBSTONE_BYTES;
            if (!tombstone && edit.policy().masks(userKey)) {
                StateRecord.KeyValue kv = EtcdValues.keyValue(value(e), rev);
                out.put(key(e), EtcdValues.encodeKeyValue(new StateRecord.KeyValue(kv.key(), mask.mask(kv.value()),
                        kv.createRevision(), kv.modRevision(), kv.version(), kv.lease())));
                masked++;
            } else {
                out.put(key(e), value(e));
            }
            n++;
        }
        long placeholder = 0;
        if (topKept < topSeen && source.meta().finishedCompactRevision() < topSeen) {
            placeholder = topSeen;
            out.put(new Revision(placeholder, 0).toBytes(false), new byte[0]);
            n++;
        }
        summary = new HistoryEdit.Summary(masked, dropped, placeholder);
        return n;
    }

    private static byte[] key(BoltSlice e) {
        return Arrays.copyOfRange(e.buffer(), e.keyOffset(), e.keyOffset() + e.keyLength());
    }

    private static byte[] value(BoltSlice e) {
        return Arrays.copyOfRange(e.buffer(), e.valueOffset(), e.valueOffset() + e.valueLength());
    }

    private static final byte[] CONF_STATE = "confState".getBytes(StandardCharsets.US_ASCII);
}
