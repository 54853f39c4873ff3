package dev.raftpipe.store;

import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.state.StateRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.CollectionType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The members and removed_members tables; member IDs are stored as lowercase hex, as etcd prints them. */
final class MemberStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CollectionType URLS = JSON.getTypeFactory().constructCollectionType(List.class, String.class);

    private final PreparedStatement upsert;
    private final PreparedStatement delete;
    private final PreparedStatement markRemoved;

    MemberStore(Connection conn) throws SQLException {
        upsert = conn.prepareStatement("INSERT INTO members(id, name, peer_urls, client_urls, is_learner) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
                + "peer_urls = excluded.peer_urls, client_urls = excluded.client_urls, is_learner = excluded.is_learner");
        delete = conn.prepareStatement("DELETE FROM members WHERE id = ?");
        markRemoved = conn.prepareStatement("INSERT OR IGNORE INTO removed_members(id) VALUES (?)");
    }

    void save(StateRecord.Member m) throws SQLException {
        upsert.setString(1, NodeIds.hex(m.id()));
        upsert.setString(2, m.name());
        upsert.setString(3, json(m.peerUrls()));
        upsert.setString(4, json(m.clientUrls()));
        upsert.setInt(5, m.isLearner() ? 1 : 0);
        upsert.executeUpdate();
    }

    void remove(long id) throws SQLException {
        delete.setString(1, NodeIds.hex(id));
        delete.executeUpdate();
        markRemoved.setString(1, NodeIds.hex(id));
        markRemoved.executeUpdate();
    }

    static Map<Long, StateRecord.Member> loadMembers(Connection conn) throws SQLException {
        Map<Long, StateRecord.Member> members = new LinkedHashMap<>();
        try (PreparedStatement st = conn.prepareStatement(
                "SELECT id, name, peer_urls, client_urls, is_learner FROM members ORDER BY id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                long id = NodeIds.parse(rs.getString(1));
                members.put(id, new StateRecord.Member(id, rs.getString(2), urls(rs.getString(3)), urls(rs.getString(4)),
                        rs.getInt(5) != 0));
            }
        }
        return members;
    }

    static Set<Long> loadRemoved(Connection conn) throws SQLException {
        Set<Long> removed = new HashSet<>();
        try (PreparedStatement st = conn.prepareStatement("SELECT id FROM removed_members");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                removed.add(NodeIds.parse(rs.getString(1)));
            }
        }
        return removed;
    }

    private static String json(List<String> urls) {
        try {
            return JSON.writeValueAsString(urls);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> urls(String json) throws SQLException {
        try {
            return JSON.readValue(json, URLS);
        } catch (JsonProcessingException e) {
            throw new SQLException("members table holds URLs that are not a JSON list: " + json, e);
        }
    }

    @Override
    public void close() throws SQLException {
        upsert.close();
        delete.close();
        markRemoved.close();
    }
}
