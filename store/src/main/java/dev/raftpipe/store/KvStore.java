package dev.raftpipe.store;

import dev.raftpipe.codecs.state.StateRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The live-key table: etcd's keyspace at the current revision (history is not kept). */
final class KvStore implements AutoCloseable {
    private static final String COLUMNS = "key, value, create_revision, mod_revision, version, lease";

    private final PreparedStatement get;
    private final PreparedStatement put;
    private final PreparedStatement rangeFrom;
    private final PreparedStatement range;
    private final PreparedStatement deleteOne;
    private final PreparedStatement deleteFrom;
    private final PreparedStatement deleteRange;
    private final PreparedStatement deleteByLease;

    KvStore(Connection conn) throws SQLException {
        get = conn.prepareStatement("SELECT " + COLUMNS + " FROM kv WHERE key = ?");
        // etcd's mvcc put: a new key starts at version 1 with create_revision = this revision; an
        // existing one keeps its create_revision and counts up its version.
        put = conn.prepareStatement("INSERT INTO kv(" + COLUMNS + ") VALUES (?, ?, ?, ?, 1, ?) "
                + "ON CONFLICT(key) DO UPDATE SET value = excluded.value, mod_revision = excluded.mod_revision, "
                + "version = kv.version + 1, lease = excluded.lease");
        rangeFrom = conn.prepareStatement("SELECT " + COLUMNS + " FROM kv WHERE key >= ? ORDER BY key");
        range = conn.prepareStatement("SELECT " + COLUMNS + " FROM kv WHERE key >= ? AND key < ? ORDER BY key");
        deleteOne = conn.prepareStatement("DELETE FROM kv WHERE key = ?");
        deleteFrom = conn.prepareStatement("DELETE FROM kv WHERE key >= ?");
        deleteRange = conn.prepareStatement("DELETE FROM kv WHERE key >= ? AND key < ?");
        deleteByLease = conn.prepareStatement("DELETE FROM kv WHERE lease = ? AND lease != 0");
    }

    Optional<StateRecord.KeyValue> get(byte[] key) throws SQLException {
        get.setBytes(1, key);
        try (ResultSet rs = get.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    void put(byte[] key, byte[] value, long revision, long lease) throws SQLException {
        put.setBytes(1, key);
        put.setBytes(2, value);
        put.setLong(3, revision);
        put.setLong(4, revision);
        put.setLong(5, lease);
        put.executeUpdate();
    }

    /**
     * Whether every key in the range passes {@code test}, stopping at the first that fails; an empty
     * range gives {@code whenEmpty}.
     */
    boolean allMatch(KeyRange r, Predicate<StateRecord.KeyValue> test, boolean whenEmpty) throws SQLException {
        if (r.single()) {
            Optional<StateRecord.KeyValue> kv = get(r.key());
            return kv.isEmpty() ? whenEmpty : test.test(kv.get());
        }
        PreparedStatement st = bindRange(r, rangeFrom, range);
        boolean any = false;
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                any = true;
                if (!test.test(row(rs))) {
                    return false;
                }
            }
        }
        return any || whenEmpty;
    }

    /** Deletes the keys in the range; returns how many there were. */
    int delete(KeyRange r) throws SQLException {
        PreparedStatement st;
        if (r.single()) {
            st = deleteOne;
            st.setBytes(1, r.key());
        } else {
            st = bindRange(r, deleteFrom, deleteRange);
        }
        return st.executeUpdate();
    }

    int deleteByLease(long lease) throws SQLException {
        deleteByLease.setLong(1, lease);
        return deleteByLease.executeUpdate();
    }

    private static PreparedStatement bindRange(KeyRange r, PreparedStatement from, PreparedStatement between)
            throws SQLException {
        if (r.toEnd()) {
            from.setBytes(1, r.key());
            return from;
        }
        between.setBytes(1, r.key());
        between.setBytes(2, r.end());
        return between;
    }

    static StateRecord.KeyValue row(ResultSet rs) throws SQLException {
        return new StateRecord.KeyValue(rs.getBytes(1), nonNull(rs.getBytes(2)), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6));
    }

    private static byte[] nonNull(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement st : List.of(get, put, rangeFrom, range, deleteOne, deleteFrom, deleteRange,
                deleteByLease)) {
            st.close();
        }
    }
}
