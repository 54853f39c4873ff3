package dev.raftpipe.store;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.etcd.EtcdRequest;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * etcd's applierV3backend for the keyspace: put, delete_range, txn and compaction, with mvcc's revision
 * rule (one revision per write transaction that changed something, none otherwise). Each method returns
 * the error etcd would answer with; a rejected request changes nothing.
 */
final class KvApplier {
    static final String LEASE_NOT_FOUND = "lease not found";
    static final String KEY_NOT_FOUND = "key not found";
    static final String NO_SPACE = "no space (NOSPACE alarm)";
    static final String CORRUPT = "corrupt (CORRUPT alarm)";
    static final String COMPACTED = "revision compacted";
    static final String FUTURE_REVISION = "future revision";

    private final KvStore kv;
    private final LeaseStore leases;
    private final ApplyState state;

    KvApplier(KvStore kv, LeaseStore leases, ApplyState state) {
        this.kv = kv;
        this.leases = leases;
        this.state = state;
    }

    /** mvcc's write txn: every change in it carries revision + 1; the revision moves only if something changed. */
    final class WriteTxn {
        final long revision = state.revision + 1;
        boolean changed;

        void end() {
            if (changed) {
                state.revision = revision;
            }
        }
    }

    WriteTxn begin() {
        return new WriteTxn();
    }

    Optional<String> put(EtcdRequest.Put p) throws SQLException {
        if (state.mode != ApplyState.Mode.NORMAL) {
            return Optional.of(state.mode == ApplyState.Mode.CORRUPT ? CORRUPT : NO_SPACE);
        }
        if (p.lease() != 0 && !leases.exists(p.lease())) {
            return Optional.of(LEASE_NOT_FOUND);
        }
        WriteTxn txn = begin();
        Optional<String> error = put(txn, p);
        txn.end();
        return error;
    }

    private Optional<String> put(WriteTxn txn, EtcdRequest.Put p) throws SQLException {
        byte[] value = p.value();
        long lease = p.lease();
        if (p.ignoreValue() || p.ignoreLease()) {
            Optional<StateRecord.KeyValue> previous = kv.get(p.key());
            if (previous.isEmpty()) {
                return Optional.of(KEY_NOT_FOUND);
            }
            value = p.ignoreValue() ? previous.get().value() : value;
            lease = p.ignoreLease() ? previous.get().lease() : lease;
        }
        kv.put(p.key(), value, txn.revision, lease);
        txn.changed = true;
        return Optional.empty();
    }

    Optional<String> deleteRange(EtcdRequest.DeleteRange d) throws SQLException {
        if (state.mode == ApplyState.Mode.CORRUPT) {
            return Optional.of(CORRUPT);
        }
        WriteTxn txn = begin();
        deleteRange(txn, d);
        txn.end();
        return Optional.empty();
    }

    private void deleteRange(WriteTxn txn, EtcdRequest.DeleteRange d) throws SQLException {
        if (kv.delete(KeyRange.of(d.key(), d.rangeEnd())) > 0) {
            txn.changed = true;
        }
    }

    /** Deletes every key attached to a lease, as one write txn (the lessor's revoke). */
    void deleteLeaseKeys(long lease) throws SQLException {
        WriteTxn txn = begin();
        txn.changed = kv.deleteByLease(lease) > 0;
        txn.end();
    }

    Optional<String> txn(EtcdRequest.Txn t) throws SQLException {
        if (state.mode == ApplyState.Mode.CORRUPT) {
            return Optional.of(CORRUPT);
        }
        // applierV3Capped counts the puts of the top-level branches only
        if (state.mode == ApplyState.Mode.NOSPACE && (hasPut(t.success()) || hasPut(t.failure()))) {
            return Optional.of(NO_SPACE);
        }
        TxnPath path = TxnPath.decide(t, kv);
        Optional<String> error = check(t, path);
        if (error.isPresent()) {
            return error;
        }
        WriteTxn txn = begin();
        apply(txn, t, path.restart());
        txn.end();
        return Optional.empty();
    }

    /** etcd's checkRequests: puts need their lease (and key, with ignore_*), ranges a servable revision. */
    private Optional<String> check(EtcdRequest.Txn t, TxnPath path) throws SQLException {
        for (EtcdRequest op : path.branch(t)) {
            Optional<String> error = Optional.empty();
            if (op instanceof EtcdRequest.Txn nested) {
                error = check(nested, path);
            } else if (op instanceof EtcdRequest.Put p) {
                if ((p.ignoreValue() || p.ignoreLease()) && kv.get(p.key()).isEmpty()) {
                    error = Optional.of(KEY_NOT_FOUND);
                } else if (p.lease() != 0 && !leases.exists(p.lease())) {
                    error = Optional.of(LEASE_NOT_FOUND);
                }
            } else if (op instanceof EtcdRequest.Range r && r.revision() != 0) {
                if (r.revision() > state.revision) {
                    error = Optional.of(FUTURE_REVISION);
                } else if (r.revision() < state.compactRevision) {
                    error = Optional.of(COMPACTED);
                }
            }
            if (error.isPresent()) {
                return error;
            }
        }
        return Optional.empty();
    }

    private void apply(WriteTxn txn, EtcdRequest.Txn t, TxnPath path) throws SQLException {
        for (EtcdRequest op : path.branch(t)) {
            if (op instanceof EtcdRequest.Txn nested) {
                apply(txn, nested, path);
            } else if (op instanceof EtcdRequest.Put p) {
                Optional<String> error = put(txn, p);
                if (error.isPresent()) {
                    // etcd panics here ("unexpected error during txn"); its checks make it unreachable
                    throw new IllegalStateException("txn put failed after its checks passed: " + error.get());
                }
            } else if (op instanceof EtcdRequest.DeleteRange d) {
                deleteRange(txn, d);
            }
        }
    }

    private static boolean hasPut(List<EtcdRequest> ops) {
        return ops.stream().anyMatch(op -> op instanceof EtcdRequest.Put);
    }

    Optional<String> compaction(EtcdRequest.Compaction c) {
        if (state.mode == ApplyState.Mode.CORRUPT) {
            return Optional.of(CORRUPT);
        }
        if (c.revision() <= state.compactRevision) {
            return Optional.of(COMPACTED);
        }
        if (c.revision() > state.revision) {
            return Optional.of(FUTURE_REVISION);
        }
        // only history goes; the live keys stay as they are
        state.compactRevision = c.revision();
        return Optional.empty();
    }

    Optional<String> range() {
        return state.mode == ApplyState.Mode.CORRUPT ? Optional.of(CORRUPT) : Optional.empty();
    }
}
