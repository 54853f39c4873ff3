package dev.raftpipe.store;

import dev.raftpipe.codecs.state.StateRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A backend's state as archive records, in state.bin's order: meta, members, leases, etcd bucket entries, then
 * keys by key bytes. Reads row by row from one read transaction; memory does not grow with the backend.
 */
public final class StateCursor implements AutoCloseable {
    private final Connection conn;
    private final Deque<StateRecord> small = new ArrayDeque<>();
    private PreparedStatement statement;
    private ResultSet rows;
    private int stage;
    private final boolean bucketEntries;

    StateCursor(Connection conn, BackendSnapshot snapshot) {
        this.conn = conn;
        this.bucketEntries = snapshot.hasBucketEntries();
        BackendMeta m = snapshot.meta();
        small.add(new StateRecord.Meta(m.consistentIndex(), m.term(), m.revision(), m.compactRevision(),
                m.confState().voters(), m.confState().learners(), m.clusterVersion(), snapshot.applyMode()));
        small.addAll(snapshot.members());
    }

    /** The next record, or {@code null} after the last key. */
    public StateRecord next() {
        try {
            while (true) {
                if (!small.isEmpty()) {
                    return small.poll();
                }
                if (rows != null && rows.next()) {
                    return switch (stage) {
                        case 1 -> new StateRecord.Lease(rows.getLong(1), rows.getLong(2), rows.getLong(3));
                        case 2 -> new StateRecord.BucketEntry(rows.getString(1), rows.getBytes(2), orEmpty(rows.getBytes(3)));
                        default -> new StateRecord.KeyValue(rows.getBytes(1), orEmpty(rows.getBytes(2)), rows.getLong(3),
                                rows.getLong(4), rows.getLong(5), rows.getLong(6));
                    };
                }
                closeRows();
                stage++;
                if (stage == 1) {
                    open("SELECT id, ttl, remaining_ttl FROM leases ORDER BY id");
                } else if (stage == 2) {
                    if (bucketEntries) {
                        open("SELECT bucket, key, value FROM etcd_buckets ORDER BY bucket, key");
                    }
                } else if (stage == 3) {
                    open("SELECT key, value, create_revision, mod_revision, version, lease FROM kv ORDER BY key");
                } else {
                    return null;
                }
            }
        } catch (SQLException e) {
            throw new BackendException("reading the backend failed: " + e.getMessage(), e);
        }
    }

    private void open(String sql) throws SQLException {
        statement = conn.prepareStatement(sql);
        rows = statement.executeQuery();
    }

    private void closeRows() throws SQLException {
        if (rows != null) {
            rows.close();
            statement.close();
            rows = null;
        }
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    @Override
    public void close() {
        try {
            closeRows();
        } catch (SQLException e) {
            throw new BackendException("closing a backend cursor failed: " + e.getMessage(), e);
        }
    }
}
