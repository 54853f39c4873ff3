package dev.raftpipe.store;

import dev.raftpipe.codecs.etcd.EtcdRequest;

import java.sql.SQLException;
import java.util.Optional;

/** etcd's lessor as the apply loop drives it: grant, revoke (with the keys attached), checkpoint. */
final class LeaseApplier {
    /** lease.MaxLeaseTTL: 9,000,000,000 seconds. */
    private static final long MAX_LEASE_TTL = 9_000_000_000L;

    private final LeaseStore leases;
    private final KvApplier kv;
    private final ApplyState state;
    private final long minLeaseTtl;

    LeaseApplier(LeaseStore leases, KvApplier kv, ApplyState state, long minLeaseTtl) {
        this.leases = leases;
        this.kv = kv;
        this.state = state;
        this.minLeaseTtl = minLeaseTtl;
    }

    Optional<String> grant(EtcdRequest.LeaseGrant g) throws SQLException {
        if (state.mode != ApplyState.Mode.NORMAL) {
            return Optional.of(state.mode == ApplyState.Mode.CORRUPT ? KvApplier.CORRUPT : KvApplier.NO_SPACE);
        }
        if (g.id() == 0) {
            return Optional.of(KvApplier.LEASE_NOT_FOUND);
        }
        if (g.ttl() > MAX_LEASE_TTL) {
            return Optional.of("lease TTL too large");
        }
        if (leases.exists(g.id())) {
            return Optional.of("lease already exists");
        }
        // the lessor raises short TTLs to its minimum, derived from the election timeout
        leases.grant(g.id(), Math.max(g.ttl(), minLeaseTtl));
        return Optional.empty();
    }

    Optional<String> revoke(EtcdRequest.LeaseRevoke r) throws SQLException {
        if (state.mode == ApplyState.Mode.CORRUPT) {
            return Optional.of(KvApplier.CORRUPT);
        }
        if (!leases.exists(r.id())) {
            return Optional.of(KvApplier.LEASE_NOT_FOUND);
        }
        kv.deleteLeaseKeys(r.id());
        leases.revoke(r.id());
        return Optional.empty();
    }

    Optional<String> checkpoint(EtcdRequest.LeaseCheckpoint c) throws SQLException {
        for (EtcdRequest.LeaseCheckpoint.Checkpoint cp : c.checkpoints()) {
            leases.checkpoint(cp.id(), cp.remainingTtl());
        }
        return Optional.empty();
    }
}
