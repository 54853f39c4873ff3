package dev.raftpipe.codecs.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.state.Revision;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.bolt.BoltBucket;
import dev.raftpipe.codecs.bolt.BoltCursor;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.bolt.BoltFile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * etcd's backend file ({@code member/snap/db} or an {@code etcdctl snapshot save} file) read through its
 * buckets, as etcd 3.4 and 3.5 lay them out. The trailer, the metas and the {@code meta}, {@code cluster}
 * and {@code members} buckets are read when it opens; the {@code key} bucket is walked on demand.
 */
public final class EtcdDb implements Closeable {
    public static final String KEY = "key";
    public static final String META = "meta";
    public static final String LEASE = "lease";
    public static final String MEMBERS = "members";
    public static final String MEMBERS_REMOVED = "members_removed";
    public static final String CLUSTER = "cluster";
    /**
     * Buckets carried as raw entries through archives and backends, in byte order: alarms, and the auth state, so
     * that a cluster with RBAC comes back with its users and roles.
     */
    public static final List<String> CARRIED = List.of("alarm", "auth", "authRoles", "authUsers");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BoltFile bolt;
    private final SnapshotTrailer.Result trailer;
    private final DbMeta meta;

    private EtcdDb(BoltFile bolt, SnapshotTrailer.Result trailer, DbMeta meta) {
        this.bolt = bolt;
        this.trailer = trailer;
        this.meta = meta;
    }

    public static EtcdDb open(Path path, SnapshotTrailer.Check check) throws IOException {
        BoltFile.refuseOtherKinds(path);
        SnapshotTrailer.Result trailer = SnapshotTrailer.check(path, check);
        BoltFile bolt = BoltFile.open(path);
        try {
            EtcdDb db = new EtcdDb(bolt, trailer, readMeta(bolt));
            bolt = null;
            return db;
        } finally {
            if (bolt != null) {
                bolt.close();
            }
        }
    }

    /** Whether a file is a bbolt file (an etcd db or snapshot), not, say, a SQLite backend: {@link BoltFile#holdsMeta}. */
    public static boolean isBolt(Path file) throws IOException {
        return BoltFile.holdsMeta(file);
    }

    public BoltFile bolt() {
        return bolt;
    }

    public SnapshotTrailer.Result trailer() {
        return trailer;
    }

    public DbMeta meta() {
        return meta;
    }

    /** Names of the top-level buckets, in bbolt's order. */
    public List<String> bucketNames() {
        List<String> names = new ArrayList<>();
        BoltCursor c = bolt.cursor(bolt.root());
        for (BoltEntry e = c.next(); e != null; e = c.next()) {
            names.add(new String(e.key(), StandardCharsets.UTF_8));
        }
        return names;
    }

    /** A bucket's raw entries in key order; empty when the db has no such bucket. */
    public Iterable<BoltEntry> entries(String bucket) {
        Optional<BoltBucket> b = bolt.bucket(bucket);
        return () -> new CursorIterator<>(b.map(bolt::cursor).orElse(null), e -> e);
    }

    /** Every stored revision of the {@code key} bucket, in revision order, tombstones included. */
    public Iterable<KeyRevision> history() {
        Optional<BoltBucket> b = bolt.bucket(KEY);
        return () -> new CursorIterator<>(b.map(bolt::cursor).orElse(null), EtcdDb::keyRevision);
    }

    public Iterable<StateRecord.Lease> leases() {
        Optional<BoltBucket> b = bolt.bucket(LEASE);
        return () -> new CursorIterator<>(b.map(bolt::cursor).orElse(null), e -> EtcdValues.lease(e.key(), e.value()));
    }

    /** The {@code members} bucket (which etcd 3.4's own restore leaves holding the old cluster's members). */
    public List<StateRecord.Member> members() {
        List<StateRecord.Member> out = new ArrayList<>();
        for (BoltEntry e : entries(MEMBERS)) {
            out.add(member(e));
        }
        return out;
    }

    /** IDs in {@code members_removed}. */
    public List<Long> removedMembers() {
        List<Long> out = new ArrayList<>();
        for (BoltEntry e : entries(MEMBERS_REMOVED)) {
            out.add(memberId(e.key()));
        }
        return out;
    }

    static KeyRevision keyRevision(BoltEntry e) {
        Revision rev = Revision.parse(e.key());
        if (rev == null || e.bucket()) {
            throw new DbCorruptedException("key bucket: key " + HexFormat.of().formatHex(e.key())
                    + " is not a revision (8-byte main, '_', 8-byte sub, optional 't')");
        }
        return new KeyRevision(rev, Revision.isTombstone(e.key()), EtcdValues.keyValue(e.value(), rev));
    }

    private static StateRecord.Member member(BoltEntry e) {
        long id = memberId(e.key());
        try {
            JsonNode n = JSON.readTree(e.value());
            List<String> peers = new ArrayList<>();
            n.path("peerURLs").forEach(u -> peers.add(u.asText()));
            List<String> clients = new ArrayList<>();
            n.path("clientURLs").forEach(u -> clients.add(u.asText()));
            if (n.has("id") && n.get("id").bigIntegerValue().longValue() != id) {
                throw new DbCorruptedException("members bucket: member " + Long.toHexString(id) + " holds id "
                        + n.get("id").asText());
            }
            return new StateRecord.Member(id, n.path("name").asText(""), peers, clients, n.path("isLearner").asBoolean(false));
        } catch (IOException ex) {
            throw new DbCorruptedException("members bucket: member " + Long.toHexString(id) + " is not JSON: "
                    + ex.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static long memberId(byte[] key) {
        String hex = new String(key, StandardCharsets.US_ASCII);
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new DbCorruptedException("members bucket: key " + hex + " is not a member ID in hex");
        }
    }

    private static DbMeta readMeta(BoltFile bolt) {
        long consistentIndex = 0;
        OptionalLong term = OptionalLong.empty();
        DbMeta.ConfState conf = null;
        long scheduled = 0;
        long finished = 0;
        Optional<BoltBucket> metaBucket = bolt.bucket(META);
        if (metaBucket.isPresent()) {
            BoltCursor c = bolt.cursor(metaBucket.get());
            for (BoltEntry e = c.next(); e != null; e = c.next()) {
                String name = new String(e.key(), StandardCharsets.UTF_8);
                byte[] v = e.value();
                switch (name) {
                    case "consistent_index" -> consistentIndex = u64(name, v);
                    case "term" -> term = OptionalLong.of(u64(name, v));
                    case "confState" -> conf = confState(v);
                    case "scheduledCompactRev" -> scheduled = compactRevision(name, v);
                    case "finishedCompactRev" -> finished = compactRevision(name, v);
                    default -> {
                        // other keys (e.g. 3.6's storageVersion) are not needed to read the state
                    }
                }
            }
        }
        String clusterVersion = "";
        Optional<BoltBucket> cluster = bolt.bucket(CLUSTER);
        if (cluster.isPresent()) {
            BoltCursor c = bolt.cursor(cluster.get());
            for (BoltEntry e = c.next(); e != null; e = c.next()) {
                if (new String(e.key(), StandardCharsets.UTF_8).equals("clusterVersion")) {
                    clusterVersion = new String(e.value(), StandardCharsets.UTF_8);
                }
            }
        }
        long statusRevision = 0;
        Optional<BoltBucket> keys = bolt.bucket(KEY);
        if (keys.isPresent()) {
            BoltEntry last = bolt.last(keys.get());
            if (last != null) {
                statusRevision = keyRevisionOf(last).main();
            }
        }
        return new DbMeta(consistentIndex, term, conf, scheduled, finished, Math.max(statusRevision, finished),
                statusRevision, clusterVersion);
    }

    static Revision keyRevisionOf(BoltEntry e) {
        Revision rev = Revision.parse(e.key());
        if (rev == null) {
            throw new DbCorruptedException("key bucket: key " + HexFormat.of().formatHex(e.key()) + " is not a revision");
        }
        return rev;
    }

    private static long u64(String name, byte[] v) {
        if (v.length != 8) {
            throw new DbCorruptedException("meta bucket: " + name + " has " + v.length + " bytes, not 8");
        }
        return Revision.readLong(v, 0);
    }

    private static long compactRevision(String name, byte[] v) {
        Revision r = Revision.parse(v);
        if (r == null || Revision.isTombstone(v)) {
            throw new DbCorruptedException("meta bucket: " + name + " is not a 17-byte revision");
        }
        return r.main();
    }

    private static DbMeta.ConfState confState(byte[] v) {
        try {
            JsonNode n = JSON.readTree(v);
            List<Long> voters = new ArrayList<>();
            n.path("voters").forEach(x -> voters.add(x.bigIntegerValue().longValue()));
            List<Long> learners = new ArrayList<>();
            n.path("learners").forEach(x -> learners.add(x.bigIntegerValue().longValue()));
            return new DbMeta.ConfState(voters, learners);
        } catch (IOException e) {
            throw new DbCorruptedException("meta bucket: confState is not JSON");
        }
    }

    @Override
    public void close() throws IOException {
        bolt.close();
    }
}
