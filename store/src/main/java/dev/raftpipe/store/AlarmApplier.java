package dev.raftpipe.store;

import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.etcd.EtcdRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * etcd's alarm store. The first NOSPACE alarm caps the applier (puts, txns with puts and lease grants
 * fail), the first CORRUPT alarm stops all kv requests; clearing the last alarm of either kind restores
 * the normal applier, exactly as etcd swaps its applyV3.
 */
final class AlarmApplier implements AutoCloseable {
    static final int ACTIVATE = 1;
    static final int DEACTIVATE = 2;
    static final int NOSPACE = 1;
    static final int CORRUPT = 2;

    private final ApplyState state;
    private final PreparedStatement insert;
    private final PreparedStatement delete;

    AlarmApplier(Connection conn, ApplyState state) throws SQLException {
        this.state = state;
        insert = conn.prepareStatement("INSERT OR IGNORE INTO alarms(member_id, alarm) VALUES (?, ?)");
        delete = conn.prepareStatement("DELETE FROM alarms WHERE member_id = ? AND alarm = ?");
    }

    Optional<String> apply(EtcdRequest.Alarm a) throws SQLException {
        ApplyState.Alarm alarm = new ApplyState.Alarm(a.memberId(), a.alarm());
        long before = count(a.alarm());
        if (a.action() == ACTIVATE) {
            if (state.alarms.add(alarm)) {
                write(insert, alarm);
            }
            if (before == 0 && count(a.alarm()) == 1) {
                if (a.alarm() == CORRUPT) {
                    state.mode = ApplyState.Mode.CORRUPT;
                } else if (a.alarm() == NOSPACE) {
                    state.mode = ApplyState.Mode.NOSPACE;
                }
            }
        } else if (a.action() == DEACTIVATE && state.alarms.remove(alarm)) {
            write(delete, alarm);
            if (before > 0 && count(a.alarm()) == 0 && (a.alarm() == NOSPACE || a.alarm() == CORRUPT)) {
                state.mode = ApplyState.Mode.NORMAL;
            }
        }
        return Optional.empty();
    }

    private long count(int type) {
        return state.alarms.stream().filter(x -> x.type() == type).count();
    }

    private static void write(PreparedStatement st, ApplyState.Alarm alarm) throws SQLException {
        st.setString(1, NodeIds.hex(alarm.memberId()));
        st.setInt(2, alarm.type());
        st.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        insert.close();
        delete.close();
    }
}
