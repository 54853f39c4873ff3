package dev.raftpipe.store;

import dev.raftpipe.codecs.raft.Entry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The backend's state machine over one connection: applies entries inside the caller's SQLite
 * transaction and keeps etcd's in-memory counters beside it. After a rollback, {@link #reload()} puts
 * the counters back to what the file holds.
 */
final class StateMachine implements AutoCloseable {
    private final Connection conn;
    private final long minLeaseTtl;
    private final KvStore kv;
    private final LeaseStore leases;
    private final MetaStore meta;
    private final MemberStore members;
    private ApplyState state;
    private AlarmApplier alarms;
    private EntryApplier applier;

    public StateMachine(Connection conn, long minLeaseTtl) throws SQLException {
        this.conn = conn;
        this.minLeaseTtl = minLeaseTtl;
        this.kv = new KvStore(conn);
        this.leases = new LeaseStore(conn);
        this.meta = new MetaStore(conn);
        this.members = new MemberStore(conn);
        reload();
    }

    public void reload() throws SQLException {
        if (alarms != null) {
            alarms.close();
        }
        state = ApplyState.load(conn);
        KvApplier kvApplier = new KvApplier(kv, leases, state);
        alarms = new AlarmApplier(conn, state);
        applier = new EntryApplier(kvApplier, new LeaseApplier(leases, kvApplier, state, minLeaseTtl), alarms,
                new MembershipApplier(members, state));
    }

    /** Applies one entry and moves the consistent index to it; returns etcd's error for a failed request. */
    public Optional<String> apply(Entry entry) throws SQLException {
        Optional<String> rejected = applier.apply(entry);
        state.consistentIndex = entry.index();
        state.membershipIndex = entry.index();
        state.term = entry.term();
        return rejected;
    }

    /**
     * An entry at or below consistent_index whose membership effect is not in the backend yet (a backend
     * seeded from an etcd db): applies its conf change or member update only; the entry at consistent_index
     * also gives the term when the db did not record it (etcd 3.4). Returns whether the state changed.
     */
    public boolean applyMembership(Entry entry) throws SQLException {
        if (entry.index() <= state.membershipIndex || entry.index() > state.consistentIndex) {
            return false;
        }
        applier.applyMembership(entry);
        state.membershipIndex = entry.index();
        if (entry.index() == state.consistentIndex && state.term == 0) {
            state.term = entry.term();
        }
        return true;
    }

    /** The main revision reached so far, saved or not. */
    public long revision() {
        return state.revision;
    }

    public long consistentIndex() {
        return state.consistentIndex;
    }

    /** The cluster the backend's log came from; 0 when no WAL has told it yet (a db or an archive holds none). */
    public long clusterId() {
        return state.clusterId;
    }

    /** Records the cluster of the WAL being applied; saved with the next batch. */
    public void claimCluster(long clusterId) {
        state.clusterId = clusterId;
    }

    /** Writes consistent_index, term and the counters; call in the same transaction as the entries. */
    public void saveMeta() throws SQLException {
        state.save(meta);
    }

    public BackendMeta meta() {
        return state.meta();
    }

    @Override
    public void close() throws SQLException {
        kv.close();
        leases.close();
        meta.close();
        members.close();
        alarms.close();
    }
}
