package dev.raftpipe.store;

import dev.raftpipe.codecs.etcd.EntryPayload;
import dev.raftpipe.codecs.etcd.EntryPayloads;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.raft.Entry;

import java.sql.SQLException;
import java.util.Optional;

/**
 * etcd's apply loop for one committed entry: decode it the way etcd does and hand it to the part of
 * the state it changes. Returns the error etcd would have answered the request with, if any.
 */
final class EntryApplier {
    private final KvApplier kv;
    private final LeaseApplier leases;
    private final AlarmApplier alarms;
    private final MembershipApplier membership;

    EntryApplier(KvApplier kv, LeaseApplier leases, AlarmApplier alarms, MembershipApplier membership) {
        this.kv = kv;
        this.leases = leases;
        this.alarms = alarms;
        this.membership = membership;
    }

    Optional<String> apply(Entry entry) throws SQLException {
        EntryPayload payload = decode(entry);
        if (payload instanceof EntryPayload.ConfChangeEntry c) {
            return membership.apply(entry.index(), c.change());
        }
        if (payload instanceof EntryPayload.ConfChangeV2Entry c) {
            return membership.apply(c.change());
        }
        if (payload instanceof EntryPayload.Request r) {
            return request(entry.index(), r.request().view());
        }
        return Optional.empty(); // a leader's empty entry
    }

    /** Only the membership effect of an entry: conf changes, member attributes, the cluster version. */
    void applyMembership(Entry entry) throws SQLException {
        EntryPayload payload = decode(entry);
        if (payload instanceof EntryPayload.ConfChangeEntry c) {
            membership.apply(entry.index(), c.change());
        } else if (payload instanceof EntryPayload.ConfChangeV2Entry c) {
            membership.apply(c.change());
        } else if (payload instanceof EntryPayload.Request r) {
            EtcdRequest req = r.request().view();
            if (req instanceof EtcdRequest.MemberAttrSet m) {
                membership.apply(m);
            } else if (req instanceof EtcdRequest.ClusterVersionSet v) {
                membership.apply(v);
            }
        }
    }

    private static EntryPayload decode(Entry entry) {
        try {
            return EntryPayloads.decode(entry);
        } catch (MalformedMessageException e) {
            // etcd's MustUnmarshal would panic on it
            throw new ApplyException(entry.index(), e.getMessage());
        }
    }

    private Optional<String> request(long index, EtcdRequest req) throws SQLException {
        if (req instanceof EtcdRequest.Put p) {
            return kv.put(p);
        } else if (req instanceof EtcdRequest.DeleteRange d) {
            return kv.deleteRange(d);
        } else if (req instanceof EtcdRequest.Txn t) {
            return kv.txn(t);
        } else if (req instanceof EtcdRequest.Range) {
            return kv.range();
        } else if (req instanceof EtcdRequest.Compaction c) {
            return kv.compaction(c);
        } else if (req instanceof EtcdRequest.LeaseGrant g) {
            return leases.grant(g);
        } else if (req instanceof EtcdRequest.LeaseRevoke r) {
            return leases.revoke(r);
        } else if (req instanceof EtcdRequest.LeaseCheckpoint c) {
            return leases.checkpoint(c);
        } else if (req instanceof EtcdRequest.Alarm a) {
            return alarms.apply(a);
        } else if (req instanceof EtcdRequest.MemberAttrSet m) {
            return membership.apply(m);
        } else if (req instanceof EtcdRequest.ClusterVersionSet v) {
            return membership.apply(v);
        } else if (req instanceof EtcdRequest.Unknown u) {
            // etcd 3.4 panics ("not implemented") on a request it cannot dispatch
            throw new ApplyException(index, "unknown request kind (fields " + u.fieldNumbers() + ")");
        }
        // auth, downgrade and other v2 requests change etcd's auth and v2 stores, not the keyspace
        return Optional.empty();
    }
}
