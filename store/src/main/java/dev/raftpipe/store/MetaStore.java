package dev.raftpipe.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The meta table: named values (consistent_index, term, revision, conf_state…). */
final class MetaStore implements AutoCloseable {
    private final PreparedStatement set;

    MetaStore(Connection conn) throws SQLException {
        set = conn.prepareStatement("INSERT INTO meta(name, value) VALUES (?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    }

    void set(String name, long value) throws SQLException {
        set.setString(1, name);
        set.setLong(2, value);
        set.executeUpdate();
    }

    void set(String name, String value) throws SQLException {
        set.setString(1, name);
        set.setString(2, value);
        set.executeUpdate();
    }

    static Map<String, String> readAll(Connection conn) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (PreparedStatement st = conn.prepareStatement("SELECT name, value FROM meta");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return values;
    }

    @Override
    public void close() throws SQLException {
        set.close();
    }
}
