package dev.raftpipe.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The backend's tables, versioned with {@code PRAGMA user_version} and migrated forward on open. The
 * kv/meta/members/leases layout is a public contract: users query backups with sqlite3.
 */
final class Schema {
    /** Each step takes the schema from version i to i + 1; append, never edit. */
    /**
     * kv is a rowid table on purpose: etcd values run to kilobytes, and a WITHOUT ROWID table would keep
     * them in its key b-tree, spilling most rows to overflow pages.
     */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE kv (
              key BLOB NOT NULL PRIMARY KEY,
              value BLOB NOT NULL,
              create_revision INTEGER NOT NULL,
              mod_revision INTEGER NOT NULL,
              version INTEGER NOT NULL,
              lease INTEGER NOT NULL DEFAULT 0
            )""",
            // revoking a lease deletes the keys attached to it
            "CREATE INDEX kv_by_lease ON kv(lease) WHERE lease != 0",
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID",
            """
            CREATE TABLE members (
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL DEFAULT '',
              peer_urls TEXT NOT NULL DEFAULT '[]',
              client_urls TEXT NOT NULL DEFAULT '[]',
              is_learner INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID""",
            // etcd refuses to re-add a removed member ID
            "CREATE TABLE removed_members (id TEXT PRIMARY KEY) WITHOUT ROWID",
            "CREATE TABLE leases (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL, remaining_ttl INTEGER NOT NULL DEFAULT 0)",
            "CREATE TABLE alarms (member_id TEXT NOT NULL, alarm INTEGER NOT NULL, PRIMARY KEY (member_id, alarm)) WITHOUT ROWID",
            """
            INSERT INTO meta(name, value) VALUES
              ('consistent_index', 0), ('term', 0), ('revision', 1), ('compact_revision', 0),
              ('conf_state', '{"voters":[],"learners":[]}'), ('cluster_version', ''), ('apply_mode', 'normal')"""),
            // 2: etcd's buckets raftpipe carries without modelling (auth, authUsers, authRoles, alarm)
            List.of("CREATE TABLE etcd_buckets (bucket TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, "
                    + "PRIMARY KEY (bucket, key)) WITHOUT ROWID"));

    public static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /**
     * Refuses a file this build must not touch, before anything changes it (not even its journal mode): a newer
     * schema, or an SQLite file of something else. Returns the schema version.
     */
    public static int refuseUnknown(Connection conn, String file) throws SQLException {
        int version = userVersion(conn);
        if (version > VERSION) {
            throw new BackendFormatException(file + " has backend schema version " + version
                    + ", newer than this raftpipe knows (" + VERSION + "); use a newer raftpipe");
        }
        if (version == 0 && hasUserTables(conn)) {
            throw new BackendFormatException(file + " is an SQLite file but not a raftpipe backend");
        }
        return version;
    }

    /** Brings a new or older backend to {@link #VERSION}, in one transaction. */
    public static void migrate(Connection conn, String file) throws SQLException {
        int version = refuseUnknown(conn, file);
        if (version == VERSION) {
            return;
        }
        boolean auto = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            for (int v = version; v < VERSION; v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    st.executeUpdate(sql);
                }
            }
            st.executeUpdate("PRAGMA user_version = " + VERSION);
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(auto);
        }
    }

    static int userVersion(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean hasUserTables(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }
}
