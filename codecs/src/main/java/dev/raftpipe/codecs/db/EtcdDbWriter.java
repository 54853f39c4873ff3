package dev.raftpipe.codecs.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.state.Revision;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.bolt.BoltWriter;
import dev.raftpipe.codecs.internal.ExternalSort;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes an etcd db from live state records (meta, members, leases, keys by key), the layout etcd 3.4 or 3.5
 * reads: the {@code key} bucket holds each live key at its mod revision (sub-revisions assigned in key order
 * within a main revision, as a txn's writes are), and the db is marked compacted at its revision
 * ({@code scheduledCompactRev} and {@code finishedCompactRev}), because older revisions are not there: reads
 * and watches below it get "compacted", never a wrong answer. Keys are re-sorted by revision and leases by ID
 * through {@link ExternalSort}s, so memory stays bounded.
 */
public final class EtcdDbWriter implements DbContent, Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<StateRecord.KeyValue> BY_REVISION = Comparator
            .comparingLong(StateRecord.KeyValue::modRevision)
            .thenComparing(StateRecord.KeyValue::key, Arrays::compareUnsigned);

    /**
     * What was written.
     *
     * @param keys     stored revisions of the {@code key} bucket
     * @param liveKeys keys live at the end, or -1 where the writer did not count them (a copied history)
     */
    public record Written(long keys, long liveKeys, long leases, long members, long revision, long consistentIndex,
                          long pages, EtcdVersion etcdVersion) {
    }


    private final Optional<EtcdVersion> etcdVersion;
    private final ExternalSort<StateRecord.KeyValue> keys;
    private final ExternalSort<StateRecord.Lease> leases;
    private final List<StateRecord.Member> members = new ArrayList<>();
    /** Carried bucket entries arrive in (bucket, key) order and are few: users, roles, alarms. */
    private final Map<String, List<StateRecord.BucketEntry>> carried = new TreeMap<>();
    private StateRecord.Meta meta;
    private long revisionBump;

    private EtcdDbWriter(Optional<EtcdVersion> etcdVersion, DbReadOptions options) {
        this.etcdVersion = etcdVersion;
        this.keys = new ExternalSort<>(BY_REVISION, KEY_CODEC, options.sortMemoryBytes(), options.tempDir());
        this.leases = new ExternalSort<>((a, b) -> Long.compareUnsigned(a.id(), b.id()), LEASE_CODEC,
                options.sortMemoryBytes(), options.tempDir());
    }

    /** Collects state records; nothing is written until {@link #writeTo}, because of bucket order. */
    public static EtcdDbWriter begin(EtcdVersion etcdVersion, DbReadOptions options) {
        return new EtcdDbWriter(Optional.of(etcdVersion), options);
    }

    /** With the layout of the etcd the state came from (its meta record's cluster version), the newest if unknown. */
    public static EtcdDbWriter begin(Optional<EtcdVersion> etcdVersion, DbReadOptions options) {
        return new EtcdDbWriter(etcdVersion, options);
    }

    /**
     * etcdutl's {@code --bump-revision N --mark-compacted}: an empty-value record at revision latest + N and the
     * compaction scheduled there, so that watchers (Kubernetes' caches) see revisions move forward. latest is the
     * db's revision: its highest stored revision, or its compaction mark if higher.
     */
    public EtcdDbWriter withRevisionBump(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("a revision bump must not be negative");
        }
        this.revisionBump = amount;
        return this;
    }

    public void accept(StateRecord r) throws IOException {
        if (r instanceof StateRecord.Meta m) {
            meta = m;
        } else if (r instanceof StateRecord.Member m) {
            members.add(m);
        } else if (r instanceof StateRecord.Lease l) {
            leases.add(l);
        } else if (r instanceof StateRecord.KeyValue kv) {
            keys.add(kv);
        } else if (r instanceof StateRecord.BucketEntry b) {
            carried.computeIfAbsent(b.bucket(), x -> new ArrayList<>()).add(b);
        }
    }

    /**
     * Writes every bucket in byte order (alarm and the carried auth buckets, cluster, key, lease, members,
     * members_removed, meta) and the metas.
     */
    @Override
    public Written writeTo(BoltWriter out) throws IOException {
        if (meta == null) {
            throw new DbCorruptedException("the state held no meta record");
        }
        members.sort((a, b) -> hex(a.id()).compareTo(hex(b.id())));
        // alarm, auth, authRoles, authUsers (carried), then cluster: byte order
        for (String bucket : EtcdDb.CARRIED) {
            List<StateRecord.BucketEntry> entries = carried.getOrDefault(bucket, List.of());
            if (entries.isEmpty() && !bucket.equals("alarm")) {
                continue; // etcd creates its auth buckets on start
            }
            out.beginBucket(bucket);
            for (StateRecord.BucketEntry e : entries) {
                out.put(e.key(), e.value());
            }
            out.endBucket();
        }
        out.beginBucket(EtcdDb.CLUSTER);
        if (!meta.clusterVersion().isEmpty()) {
            out.put(bytes("clusterVersion"), bytes(meta.clusterVersion()));
        }
        out.endBucket();
        out.beginBucket(EtcdDb.KEY);
        long keyCount = writeKeys(keys.sorted(), out);
        long bumped = meta.revision() + revisionBump;
        if (revisionBump > 0) {
            out.put(new Revision(bumped, 0).toBytes(false), new byte[0]);
        }
        out.endBucket();
        out.beginBucket(EtcdDb.LEASE);
        long leaseCount = 0;
        for (Iterator<StateRecord.Lease> it = leases.sorted(); it.hasNext(); leaseCount++) {
            StateRecord.Lease l = it.next();
            out.put(u64(l.id()), EtcdValues.encodeLease(l));
        }
        out.endBucket();
        out.beginBucket(EtcdDb.MEMBERS);
        for (StateRecord.Member m : members) {
            out.put(bytes(hex(m.id())), memberJson(m));
        }
        out.endBucket();
        out.beginBucket(EtcdDb.MEMBERS_REMOVED);
        out.endBucket();
        out.beginBucket(EtcdDb.META);
        EtcdVersion chosen = etcdVersion.orElseGet(() -> EtcdVersion.ofClusterVersion(meta.clusterVersion())
                .orElse(EtcdVersion.NEWEST));
        writeMeta(meta, chosen, bumped, out);
        out.endBucket();
        long pages = out.finish();
        // the bump's placeholder reads back as a live key with an empty name, as etcdutl's does
        long written = keyCount + (revisionBump > 0 ? 1 : 0);
        return new Written(written, written, leaseCount, members.size(), bumped,
                meta.consistentIndex(), pages, chosen);
    }

    @Override
    public void close() throws IOException {
        try {
            keys.close();
        } finally {
            leases.close();
        }
    }

    private static long writeKeys(Iterator<StateRecord.KeyValue> byRevision, BoltWriter out) throws IOException {
        long n = 0;
        long main = -1;
        long sub = 0;
        while (byRevision.hasNext()) {
            StateRecord.KeyValue kv = byRevision.next();
            sub = kv.modRevision() == main ? sub + 1 : 0;
            main = kv.modRevision();
            out.put(new Revision(main, sub).toBytes(false), EtcdValues.encodeKeyValue(kv));
            n++;
        }
        return n;
    }

    /** Keys of {@code meta} in byte order: confState, consistent_index, finishedCompactRev, scheduledCompactRev, term. */
    private static void writeMeta(StateRecord.Meta m, EtcdVersion etcd, long scheduled, BoltWriter out) throws IOException {
        byte[] compacted = new Revision(m.revision(), 0).toBytes(false);
        if (etcd.keepsConfStateInDb()) {
            out.put(bytes("confState"), confStateJson(m.voters(), m.learners()));
        }
        out.put(bytes("consistent_index"), u64(m.consistentIndex()));
        out.put(bytes("finishedCompactRev"), compacted);
        out.put(bytes("scheduledCompactRev"), new Revision(scheduled, 0).toBytes(false));
        if (etcd.keepsTermInDb()) {
            out.put(bytes("term"), u64(m.term()));
        }
    }

    /** 3.5's {@code meta/confState}: raftpb.ConfState as JSON (voters, learners when any, auto_leave). */
    static byte[] confStateJson(List<Long> voterIds, List<Long> learnerIds) throws IOException {
        ObjectNode conf = JSON.createObjectNode();
        ArrayNode voters = conf.putArray("voters");
        voterIds.forEach(v -> voters.add(new BigInteger(Long.toUnsignedString(v))));
        if (!learnerIds.isEmpty()) {
            ArrayNode learners = conf.putArray("learners");
            learnerIds.forEach(v -> learners.add(new BigInteger(Long.toUnsignedString(v))));
        }
        conf.put("auto_leave", false);
        return JSON.writeValueAsBytes(conf);
    }

    /** etcd's membership.Member as JSON: id, peerURLs, isLearner (when true), name, clientURLs (when set). */
    public static byte[] memberJson(StateRecord.Member m) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", new BigInteger(Long.toUnsignedString(m.id())));
        ArrayNode peers = o.putArray("peerURLs");
        m.peerUrls().forEach(peers::add);
        if (m.isLearner()) {
            o.put("isLearner", true);
        }
        if (!m.name().isEmpty()) {
            o.put("name", m.name());
        }
        if (!m.clientUrls().isEmpty()) {
            ArrayNode clients = o.putArray("clientURLs");
            m.clientUrls().forEach(clients::add);
        }
        return JSON.writeValueAsBytes(o);
    }

    private static byte[] u64(long v) {
        byte[] b = new byte[8];
        Revision.writeLong(b, 0, v);
        return b;
    }

    private static String hex(long id) {
        return Long.toHexString(id);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final ExternalSort.Codec<StateRecord.KeyValue> KEY_CODEC = new ExternalSort.Codec<>() {
        @Override
        public void write(DataOutputStream out, StateRecord.KeyValue kv) throws IOException {
            out.writeInt(kv.key().length);
            out.write(kv.key());
            out.writeInt(kv.value().length);
            out.write(kv.value());
            out.writeLong(kv.createRevision());
            out.writeLong(kv.modRevision());
            out.writeLong(kv.version());
            out.writeLong(kv.lease());
        }

        @Override
        public StateRecord.KeyValue read(DataInputStream in) throws IOException {
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            return new StateRecord.KeyValue(key, value, in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }

        @Override
        public long memoryBytes(StateRecord.KeyValue kv) {
            return 96L + kv.key().length + kv.value().length;
        }
    };

    private static final ExternalSort.Codec<StateRecord.Lease> LEASE_CODEC = new ExternalSort.Codec<>() {
        @Override
        public void write(DataOutputStream out, StateRecord.Lease l) throws IOException {
            out.writeLong(l.id());
            out.writeLong(l.ttl());
            out.writeLong(l.remainingTtl());
        }

        @Override
        public StateRecord.Lease read(DataInputStream in) throws IOException {
            return new StateRecord.Lease(in.readLong(), in.readLong(), in.readLong());
        }

        @Override
        public long memoryBytes(StateRecord.Lease l) {
            return 48;
        }
    };
}
