package dev.raftpipe.store;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.etcd.EtcdRequest.Compare;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which branch each txn of a (nested) txn takes, decided before any of its writes, as etcd's
 * compareToPath does: nested compares see the store as it was when the outer txn began. The decisions
 * are kept in depth-first order; every walk over the txn takes them in that same order.
 */
final class TxnPath {
    private final List<Boolean> decisions;
    private int next;

    private TxnPath(List<Boolean> decisions) {
        this.decisions = decisions;
    }

    static TxnPath decide(EtcdRequest.Txn txn, KvStore kv) throws SQLException {
        List<Boolean> decisions = new ArrayList<>();
        decide(txn, kv, decisions);
        return new TxnPath(decisions);
    }

    private static void decide(EtcdRequest.Txn txn, KvStore kv, List<Boolean> out) throws SQLException {
        boolean succeeded = true;
        for (Compare c : txn.compares()) {
            if (!holds(c, kv)) {
                succeeded = false;
                break;
            }
        }
        out.add(succeeded);
        for (EtcdRequest op : succeeded ? txn.success() : txn.failure()) {
            if (op instanceof EtcdRequest.Txn nested) {
                decide(nested, kv, out);
            }
        }
    }

    /** A fresh walk over the same decisions. */
    TxnPath restart() {
        return new TxnPath(decisions);
    }

    /** The branch of the next txn in depth-first order. */
    List<EtcdRequest> branch(EtcdRequest.Txn txn) {
        return decisions.get(next++) ? txn.success() : txn.failure();
    }

    boolean succeeded() {
        return decisions.get(0);
    }

    /**
     * etcd's applyCompare: every key in the range must satisfy the compare; over no key at all, a value
     * compare fails (a missing value is not an empty one) and the others compare a zero StateRecord.KeyValue.
     */
    static boolean holds(Compare c, KvStore kv) throws SQLException {
        KeyRange range = KeyRange.of(c.key(), c.rangeEnd());
        boolean whenEmpty = c.target() != Compare.VALUE
                && compare(c, new StateRecord.KeyValue(c.key(), new byte[0], 0, 0, 0, 0));
        return kv.allMatch(range, found -> compare(c, found), whenEmpty);
    }

    static boolean compare(Compare c, StateRecord.KeyValue kv) {
        int result = switch (c.target()) {
            case Compare.VALUE -> Arrays.compareUnsigned(kv.value(), c.value());
            case Compare.CREATE -> Long.compare(kv.createRevision(), c.number());
            case Compare.MOD -> Long.compare(kv.modRevision(), c.number());
            case Compare.VERSION -> Long.compare(kv.version(), c.number());
            case Compare.LEASE -> Long.compare(kv.lease(), c.number());
            default -> 0;
        };
        return switch (c.result()) {
            case Compare.EQUAL -> result == 0;
            case Compare.NOT_EQUAL -> result != 0;
            case Compare.GREATER -> result > 0;
            case Compare.LESS -> result < 0;
            default -> true;
        };
    }
}
