package dev.raftpipe.store;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.raft.NodeIds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A consistent, read-only view of a backend: one SQLite read transaction on its own connection, so a
 * writer's batch in progress is never seen. Keys are visited in key order without loading them all.
 */
public final class BackendSnapshot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private int schemaVersion;
    private final Path file;
    private final Connection conn;

    private BackendSnapshot(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    static BackendSnapshot open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BackendException("no backend at " + file, null);
        }
        Backend.refuseEtcdDb(file);
        Connection conn = null;
        try {
            // query_only rather than a read-only open: closing the last connection may then tidy the
            // backend's -wal and -shm files away, as a writer's close does
            conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA query_only = ON");
            }
            conn.setAutoCommit(false);
            BackendSnapshot snapshot = new BackendSnapshot(file, conn);
            snapshot.checkSchema();
            return snapshot;
        } catch (SQLException | RuntimeException e) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException ignored) {
                    // reporting the first failure
                }
            }
            throw e instanceof RuntimeException r ? r
                    : new BackendException("cannot read backend " + file + ": " + e.getMessage(), e);
        }
    }

    /** Schema 2 added etcd_buckets; a snapshot reads an older file as it is, without migrating it. */
    boolean hasBucketEntries() {
        return schemaVersion >= 2;
    }

    private void checkSchema() throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("PRAGMA user_version"); ResultSet rs = st.executeQuery()) {
            int version = rs.next() ? rs.getInt(1) : 0;
            Schema.refuseUnknown(conn, file.toString());
            if (version == 0) {
                throw new BackendFormatException(file + " is not a raftpipe backend (an empty SQLite file)");
            }
            schemaVersion = version;
        }
    }

    /** The etcd cluster whose WAL the backend was replayed from; empty when none is known. */
    public OptionalLong clusterId() {
        Map<String, String> values = new HashMap<>();
        query("SELECT name, value FROM meta WHERE name = 'cluster_id'", rs -> values.put(rs.getString(1), rs.getString(2)));
        return values.containsKey("cluster_id") ? OptionalLong.of(NodeIds.parse(values.get("cluster_id")))
                : OptionalLong.empty();
    }

    public BackendMeta meta() {
        Map<String, String> values = new HashMap<>();
        query("SELECT name, value FROM meta", rs -> values.put(rs.getString(1), rs.getString(2)));
        List<Long> voters = new ArrayList<>();
        List<Long> learners = new ArrayList<>();
        try {
            JsonNode cs = JSON.readTree(values.get("conf_state"));
            cs.path("voters").forEach(n -> voters.add(NodeIds.parse(n.asText())));
            cs.path("learners").forEach(n -> learners.add(NodeIds.parse(n.asText())));
        } catch (IOException e) {
            throw new BackendFormatException(file + ": meta.conf_state is not JSON");
        }
        return new BackendMeta(Long.parseLong(values.get("consistent_index")), Long.parseLong(values.get("term")),
                Long.parseLong(values.get("revision")), Long.parseLong(values.get("compact_revision")),
                ConfState.of(voters, learners), values.get("cluster_version"));
    }

    /** etcd's applier mode: {@code normal}, or {@code nospace}/{@code corrupt} while such an alarm is raised. */
    public String applyMode() {
        String[] mode = {"normal"};
        query("SELECT value FROM meta WHERE name = 'apply_mode'", rs -> mode[0] = rs.getString(1));
        return mode[0];
    }

    /** The whole state as archive records, streamed in state.bin's order; close it before the snapshot. */
    public StateCursor stateRecords() {
        return new StateCursor(conn, this);
    }

    /** How many records {@link #stateRecords()} yields: the meta record, members, leases and keys. */
    public long recordCount() {
        long[] n = {1};
        query("SELECT (SELECT count(*) FROM members) + (SELECT count(*) FROM leases) + (SELECT count(*) FROM kv)"
                        + (hasBucketEntries() ? " + (SELECT count(*) FROM etcd_buckets)" : ""),
                rs -> n[0] += rs.getLong(1));
        return n[0];
    }

    /** Visits every live key in key order. */
    public void forEachKeyValue(Consumer<StateRecord.KeyValue> visitor) {
        query("SELECT key, value, create_revision, mod_revision, version, lease FROM kv ORDER BY key",
                rs -> visitor.accept(new StateRecord.KeyValue(rs.getBytes(1), orEmpty(rs.getBytes(2)), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6))));
    }

    public List<StateRecord.Member> members() {
        List<StateRecord.Member> members = new ArrayList<>();
        query("SELECT id, name, peer_urls, client_urls, is_learner FROM members ORDER BY id", rs -> {
            try {
                members.add(new StateRecord.Member(NodeIds.parse(rs.getString(1)), rs.getString(2), urls(rs.getString(3)),
                        urls(rs.getString(4)), rs.getInt(5) != 0));
            } catch (IOException e) {
                throw new BackendFormatException(file + ": members hold URLs that are not JSON");
            }
        });
        return members;
    }

    public void forEachLease(Consumer<StateRecord.Lease> visitor) {
        query("SELECT id, ttl, remaining_ttl FROM leases ORDER BY id",
                rs -> visitor.accept(new StateRecord.Lease(rs.getLong(1), rs.getLong(2), rs.getLong(3))));
    }

    private interface RowVisitor {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowVisitor visitor) {
        try (PreparedStatement st = conn.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                visitor.accept(rs);
            }
        } catch (SQLException e) {
            throw new BackendException("reading backend " + file + " failed: " + e.getMessage(), e);
        }
    }

    private static List<String> urls(String json) throws IOException {
        List<String> urls = new ArrayList<>();
        JSON.readTree(json).forEach(n -> urls.add(n.asText()));
        return urls;
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    @Override
    public void close() {
        try {
            conn.rollback();
            conn.close();
        } catch (SQLException e) {
            throw new BackendException("closing backend " + file + " failed: " + e.getMessage(), e);
        }
    }
}
