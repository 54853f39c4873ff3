package dev.raftpipe.store;

import dev.raftpipe.codecs.archive.ArchiveVerificationException;
import dev.raftpipe.codecs.io.Durable;
import dev.raftpipe.codecs.io.PrivateFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.raft.NodeIds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Builds a backend from archive records in {@code <backend>.tmp-<random>} and renames it onto the
 * backend only at {@link #commit()}: a failed or refused restore leaves the old backend as it was.
 */
public final class BackendRestore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS_PER_TRANSACTION = 20_000;

    private final Path target;
    private final Path temp;
    private final RestoreOptions options;
    private final Connection conn;
    private final PreparedStatement kv;
    private final PreparedStatement member;
    private final PreparedStatement lease;
    private final PreparedStatement meta;
    private final PreparedStatement bucketEntry;
    private StateRecord.Meta restoredMeta;
    private long records;
    private boolean done;

    private BackendRestore(Path target, Path temp, RestoreOptions options, Connection conn) throws SQLException {
        this.target = target;
        this.temp = temp;
        this.options = options;
        this.conn = conn;
        kv = conn.prepareStatement("INSERT INTO kv(key, value, create_revision, mod_revision, version, lease) "
                + "VALUES (?, ?, ?, ?, ?, ?)");
        member = conn.prepareStatement("INSERT INTO members(id, name, peer_urls, client_urls, is_learner) "
                + "VALUES (?, ?, ?, ?, ?)");
        lease = conn.prepareStatement("INSERT INTO leases(id, ttl, remaining_ttl) VALUES (?, ?, ?)");
        bucketEntry = conn.prepareStatement("INSERT INTO etcd_buckets(bucket, key, value) VALUES (?, ?, ?)");
        meta = conn.prepareStatement("INSERT INTO meta(value, name) VALUES (?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    }

    /**
     * @param force replace the backend even if it has applied entries the archive does not hold
     */
    public static BackendRestore begin(Path target, boolean force) {
        return begin(target, RestoreOptions.defaults().withForce(force));
    }

    public static BackendRestore begin(Path target, RestoreOptions options) {
        Path parent = target.toAbsolutePath().getParent();
        Path temp = TempOutput.beside(target);
        Connection conn = null;
        try {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setGetGeneratedKeys(false);
            PrivateFiles.createDirectories(parent);
            Backend.createPrivately(temp);
            conn = DriverManager.getConnection("jdbc:sqlite:" + temp, config.toProperties());
            try (Statement st = conn.createStatement()) {
                // a private file until the rename: no journal needed while it fills
                st.execute("PRAGMA journal_mode = OFF");
                st.execute("PRAGMA synchronous = OFF");
            }
            Schema.migrate(conn, temp.toString());
            conn.setAutoCommit(false);
            return new BackendRestore(target, temp, options, conn);
        } catch (SQLException | IOException e) {
            closeQuietly(conn);
            deleteQuietly(temp);
            throw new BackendException("cannot create " + temp + ": " + e.getMessage(), e);
        }
    }

    public void accept(StateRecord r) {
        try {
            if (r instanceof StateRecord.Meta m) {
                guard(m);
                restoredMeta = m;
                setMeta("consistent_index", m.consistentIndex());
                setMeta("membership_index", options.membershipIndex().orElse(m.consistentIndex()));
                setMeta("term", m.term());
                setMeta("revision", m.revision());
                setMeta("compact_revision", m.compactRevision());
                setMeta("cluster_version", m.clusterVersion());
                setMeta("apply_mode", m.applyMode());
                setMeta("conf_state", JSON.writeValueAsString(Map.of(
                        "voters", m.voters().stream().map(NodeIds::hex).toList(),
                        "learners", m.learners().stream().map(NodeIds::hex).toList())));
            } else if (r instanceof StateRecord.Member m) {
                member.setString(1, NodeIds.hex(m.id()));
                member.setString(2, m.name());
                member.setString(3, JSON.writeValueAsString(m.peerUrls()));
                member.setString(4, JSON.writeValueAsString(m.clientUrls()));
                member.setInt(5, m.isLearner() ? 1 : 0);
                member.executeUpdate();
            } else if (r instanceof StateRecord.Lease l) {
                lease.setLong(1, l.id());
                lease.setLong(2, l.ttl());
                lease.setLong(3, l.remainingTtl());
                lease.executeUpdate();
            } else if (r instanceof StateRecord.BucketEntry b) {
                bucketEntry.setString(1, b.bucket());
                bucketEntry.setBytes(2, b.key());
                bucketEntry.setBytes(3, b.value());
                bucketEntry.executeUpdate();
            } else if (r instanceof StateRecord.KeyValue k) {
                kv.setBytes(1, k.key());
                kv.setBytes(2, k.value());
                kv.setLong(3, k.createRevision());
                kv.setLong(4, k.modRevision());
                kv.setLong(5, k.version());
                kv.setLong(6, k.lease());
                kv.executeUpdate();
            }
            if (++records % RECORDS_PER_TRANSACTION == 0) {
                conn.commit();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new BackendException("restoring into " + temp + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * An existing backend is replaced only when told to ({@code force}); one that has applied more than the archive
     * holds is refused as a step back in time (etcd's rule for its own snapshots), anything else as an existing
     * output, as every command refuses one.
     */
    private void guard(StateRecord.Meta m) {
        if (options.force() || !Files.exists(target)) {
            return;
        }
        long applied;
        try (BackendSnapshot current = BackendSnapshot.open(target)) {
            applied = current.meta().consistentIndex();
        }
        if (applied > m.consistentIndex()) {
            throw new RestoreRefusedException(target + " has applied up to index " + applied
                    + ", ahead of the archive's index " + m.consistentIndex() + "; use --force to replace it");
        }
        throw new UncheckedIOException(new FileAlreadyExistsException(target.toString(), null,
                "already exists; restore replaces a backend only with --force"));
    }

    private void setMeta(String name, Object value) throws SQLException {
        meta.setObject(1, value);
        meta.setString(2, name);
        meta.executeUpdate();
    }

    /** Commits, makes the file durable and renames it onto the backend. */
    public BackendMeta commit() {
        if (restoredMeta == null) {
            throw new ArchiveVerificationException("the archive held no meta record");
        }
        try {
            conn.commit();
            conn.setAutoCommit(true);
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
            }
            closeStatements();
            conn.close();
            Durable.force(temp);
            for (Path side : Backend.sideFiles(target)) {
                Files.deleteIfExists(side);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durable.forceDirectoryOf(target);
            done = true;
        } catch (SQLException | IOException e) {
            throw new BackendException("publishing the restored backend at " + target + " failed: " + e.getMessage(), e);
        }
        try (BackendSnapshot restored = BackendSnapshot.open(target)) {
            return restored.meta();
        }
    }

    /** Drops the temporary file unless the restore was committed. */
    @Override
    public void close() {
        if (!done) {
            try {
                closeStatements();
            } catch (SQLException ignored) {
                // removing the file is what matters
            }
            closeQuietly(conn);
            try {
                Backend.delete(temp);
            } catch (IOException ignored) {
                // a leftover temporary file is named as ours; the restore's own outcome matters more
            }
            done = true;
        }
    }

    public Path temporaryFile() {
        return temp;
    }

    private void closeStatements() throws SQLException {
        for (PreparedStatement st : List.of(kv, member, lease, meta, bucketEntry)) {
            st.close();
        }
    }

    private static void closeQuietly(Connection conn) {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
