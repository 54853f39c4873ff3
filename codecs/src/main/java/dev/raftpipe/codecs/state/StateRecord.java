package dev.raftpipe.codecs.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One record of an archive's state.bin, in the fixed order meta, members, leases, bucket entries (by bucket and
 * key), keys (by key bytes),
 * so that sealing the same backend twice gives the same bytes.
 */
public sealed interface StateRecord {

    /** The backend's position: consistent_index and term of the last applied entry, etcd's revisions. */
    record Meta(long consistentIndex, long term, long revision, long compactRevision, List<Long> voters,
                List<Long> learners, String clusterVersion, String applyMode) implements StateRecord {
        public Meta {
            voters = List.copyOf(voters);
            learners = List.copyOf(learners);
        }
    }

    record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean isLearner)
            implements StateRecord {
        public Member {
            peerUrls = List.copyOf(peerUrls);
            clientUrls = List.copyOf(clientUrls);
        }
    }

    record Lease(long id, long ttl, long remainingTtl) implements StateRecord {
    }

    /**
     * A raw entry of one of etcd's buckets that raftpipe carries without modelling (auth, authUsers, authRoles,
     * alarm), so that a restore gives them back: a cluster with RBAC comes back with its users and roles.
     */
    record BucketEntry(String bucket, byte[] key, byte[] value) implements StateRecord {
        @Override
        public boolean equals(Object o) {
            return o instanceof BucketEntry b && b.bucket.equals(bucket) && Arrays.equals(b.key, key)
                    && Arrays.equals(b.value, value);
        }

        @Override
        public int hashCode() {
            return bucket.hashCode() * 31 + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "BucketEntry[" + bucket + ", " + key.length + "-byte key, " + value.length + "-byte value]";
        }
    }

    record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease)
            implements StateRecord {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyValue kv && Arrays.equals(kv.key, key) && Arrays.equals(kv.value, value)
                    && kv.createRevision == createRevision && kv.modRevision == modRevision
                    && kv.version == version && kv.lease == lease;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + Long.hashCode(modRevision);
        }

        @Override
        public String toString() {
            return "KeyValue[" + new String(key, StandardCharsets.ISO_8859_1) + ", "
                    + value.length + " bytes, mod=" + modRevision + "]";
        }
    }
}
