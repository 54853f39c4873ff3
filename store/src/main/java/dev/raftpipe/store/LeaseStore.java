package dev.raftpipe.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Granted leases (etcd's lease bucket). Which keys a lease holds is the kv table's lease column. */
final class LeaseStore implements AutoCloseable {
    private final PreparedStatement exists;
    private final PreparedStatement insert;
    private final PreparedStatement delete;
    private final PreparedStatement checkpoint;

    LeaseStore(Connection conn) throws SQLException {
        exists = conn.prepareStatement("SELECT 1 FROM leases WHERE id = ?");
        insert = conn.prepareStatement("INSERT INTO leases(id, ttl, remaining_ttl) VALUES (?, ?, 0)");
        delete = conn.prepareStatement("DELETE FROM leases WHERE id = ?");
        checkpoint = conn.prepareStatement("UPDATE leases SET remaining_ttl = ? WHERE id = ?");
    }

    boolean exists(long id) throws SQLException {
        exists.setLong(1, id);
        try (ResultSet rs = exists.executeQuery()) {
            return rs.next();
        }
    }

    void grant(long id, long ttl) throws SQLException {
        insert.setLong(1, id);
        insert.setLong(2, ttl);
        insert.executeUpdate();
    }

    void revoke(long id) throws SQLException {
        delete.setLong(1, id);
        delete.executeUpdate();
    }

    void checkpoint(long id, long remainingTtl) throws SQLException {
        checkpoint.setLong(1, remainingTtl);
        checkpoint.setLong(2, id);
        checkpoint.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement st : List.of(exists, insert, delete, checkpoint)) {
            st.close();
        }
    }
}
