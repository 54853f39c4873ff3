package dev.raftpipe.store;

import java.util.OptionalLong;

/**
 * How a backend is restored from state records.
 *
 * @param force           replace a backend that has applied entries the records do not hold
 * @param membershipIndex the log index the records' membership reflects when it is older than their keyspace:
 *                        an etcd db's members come from the newest .snap file, and the WAL's conf changes after
 *                        it still apply (see {@link Backend#apply}); empty when membership is as of consistent_index
 */
public record RestoreOptions(boolean force, OptionalLong membershipIndex) {
    public static RestoreOptions defaults() {
        return new RestoreOptions(false, OptionalLong.empty());
    }

    public RestoreOptions withForce(boolean replace) {
        return new RestoreOptions(replace, membershipIndex);
    }

    public RestoreOptions withMembershipIndex(long index) {
        return new RestoreOptions(force, OptionalLong.of(index));
    }
}
