package dev.raftpipe.store;

import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.state.StateRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.ConfState;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What etcd keeps in memory beside the keyspace while it applies: revision counters, the applier mode
 * alarms switch to, membership. Loaded from the file on open and again after a rolled-back batch, so it
 * never runs ahead of what is committed.
 */
final class ApplyState {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** etcd swaps its applier when a NOSPACE or CORRUPT alarm is raised (applierV3Capped / Corrupt). */
    enum Mode { NORMAL, NOSPACE, CORRUPT }

    long consistentIndex;
    /**
     * Membership reflects the log up to here. Equal to consistent_index but for a backend seeded from an etcd
     * db: its membership comes from the newest .snap file, and the conf changes between that snapshot and
     * consistent_index still apply to membership, as etcd applies them on start.
     */
    long membershipIndex;
    long term;
    long revision;
    long compactRevision;
    Mode mode;
    String clusterVersion;
    /** The cluster whose log the backend holds, from the first WAL applied to it; 0 while none is known. */
    long clusterId;
    final Set<Long> voters = new TreeSet<>(Long::compareUnsigned);
    final Set<Long> learners = new TreeSet<>(Long::compareUnsigned);
    Map<Long, StateRecord.Member> members;
    Set<Long> removed;
    final Set<Alarm> alarms = new HashSet<>();

    record Alarm(long memberId, int type) {
    }

    static ApplyState load(Connection conn) throws SQLException {
        Map<String, String> meta = MetaStore.readAll(conn);
        ApplyState s = new ApplyState();
        s.consistentIndex = Long.parseLong(meta.get("consistent_index"));
        s.membershipIndex = meta.containsKey("membership_index")
                ? Math.min(Long.parseLong(meta.get("membership_index")), s.consistentIndex) : s.consistentIndex;
        s.term = Long.parseLong(meta.get("term"));
        s.revision = Long.parseLong(meta.get("revision"));
        s.compactRevision = Long.parseLong(meta.get("compact_revision"));
        s.mode = Mode.valueOf(meta.get("apply_mode").toUpperCase(Locale.ROOT));
        s.clusterVersion = meta.get("cluster_version");
        s.clusterId = meta.containsKey("cluster_id") ? NodeIds.parse(meta.get("cluster_id")) : 0;
        try {
            JsonNode cs = JSON.readTree(meta.get("conf_state"));
            cs.path("voters").forEach(n -> s.voters.add(NodeIds.parse(n.asText())));
            cs.path("learners").forEach(n -> s.learners.add(NodeIds.parse(n.asText())));
        } catch (IOException e) {
            throw new SQLException("meta.conf_state is not JSON: " + meta.get("conf_state"), e);
        }
        s.members = MemberStore.loadMembers(conn);
        s.removed = MemberStore.loadRemoved(conn);
        try (PreparedStatement st = conn.prepareStatement("SELECT member_id, alarm FROM alarms");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                s.alarms.add(new Alarm(NodeIds.parse(rs.getString(1)), rs.getInt(2)));
            }
        }
        return s;
    }

    /** Writes the counters; members, leases and alarms are written as they change. */
    void save(MetaStore meta) throws SQLException {
        meta.set("consistent_index", consistentIndex);
        meta.set("membership_index", membershipIndex);
        meta.set("term", term);
        meta.set("revision", revision);
        meta.set("compact_revision", compactRevision);
        meta.set("apply_mode", mode.name().toLowerCase(Locale.ROOT));
        meta.set("cluster_version", clusterVersion);
        meta.set("conf_state", confStateJson());
        if (clusterId != 0) {
            meta.set("cluster_id", NodeIds.hex(clusterId));
        }
    }

    ConfState confState() {
        return ConfState.of(List.copyOf(voters), List.copyOf(learners));
    }

    BackendMeta meta() {
        return new BackendMeta(consistentIndex, term, revision, compactRevision, confState(), clusterVersion);
    }

    private String confStateJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("voters").addAll(hex(voters));
        o.putArray("learners").addAll(hex(learners));
        return o.toString();
    }

    private static List<JsonNode> hex(Set<Long> ids) {
        List<JsonNode> out = new ArrayList<>();
        ids.forEach(id -> out.add(JSON.getNodeFactory().textNode(NodeIds.hex(id))));
        return out;
    }
}
