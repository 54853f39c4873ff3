package dev.raftpipe.codecs.etcd;

import java.util.List;

/**
 * A request etcd proposed through raft, as a read-only view. Byte fields are etcd's raw bytes
 * (keys and values are bytes in etcd, not strings).
 */
public sealed interface EtcdRequest {

    /** The name raftpipe reports this kind of request under (wal dump's {@code op}). */
    String op();

    record Put(byte[] key, byte[] value, long lease, boolean prevKv, boolean ignoreValue,
               boolean ignoreLease) implements EtcdRequest {
        public String op() {
            return "put";
        }
    }

    /** {@code rangeEnd} empty: the single key; {@code "\0"}: every key ≥ key; else [key, rangeEnd). */
    record DeleteRange(byte[] key, byte[] rangeEnd, boolean prevKv) implements EtcdRequest {
        public String op() {
            return "delete_range";
        }
    }

    /** A read; it changes no state. */
    record Range(byte[] key, byte[] rangeEnd, long limit, long revision) implements EtcdRequest {
        public String op() {
            return "range";
        }
    }

    record Txn(List<Compare> compares, List<EtcdRequest> success, List<EtcdRequest> failure)
            implements EtcdRequest {
        public Txn {
            compares = List.copyOf(compares);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
        }

        public String op() {
            return "txn";
        }
    }

    record Compaction(long revision, boolean physical) implements EtcdRequest {
        public String op() {
            return "compaction";
        }
    }

    record LeaseGrant(long ttl, long id) implements EtcdRequest {
        public String op() {
            return "lease_grant";
        }
    }

    record LeaseRevoke(long id) implements EtcdRequest {
        public String op() {
            return "lease_revoke";
        }
    }

    record LeaseCheckpoint(List<Checkpoint> checkpoints) implements EtcdRequest {
        public LeaseCheckpoint {
            checkpoints = List.copyOf(checkpoints);
        }

        public String op() {
            return "lease_checkpoint";
        }

        public record Checkpoint(long id, long remainingTtl) {
        }
    }

    record Alarm(int action, long memberId, int alarm) implements EtcdRequest {
        public String op() {
            return "alarm";
        }
    }

    /** One of etcd's auth requests, named by its InternalRaftRequest field (e.g. {@code auth_user_add}). */
    record Auth(String kind) implements EtcdRequest {
        public String op() {
            return "auth";
        }
    }

    /** 3.5's typed cluster version update (3.4 writes a v2 PUT to {@code /0/version}). */
    record ClusterVersionSet(String version) implements EtcdRequest {
        public String op() {
            return "cluster_version";
        }
    }

    /** A member's name and client URLs (3.5 typed, or 3.4's v2 PUT to {@code /0/members/<id>/attributes}). */
    record MemberAttrSet(long memberId, String name, List<String> clientUrls) implements EtcdRequest {
        public MemberAttrSet {
            clientUrls = List.copyOf(clientUrls);
        }

        public String op() {
            return "member_attr";
        }
    }

    record DowngradeInfoSet(boolean enabled, String version) implements EtcdRequest {
        public String op() {
            return "downgrade";
        }
    }

    /** A legacy v2 request that is not one of the membership updates above. */
    record V2(long id, String method, String path, String value) implements EtcdRequest {
        public String op() {
            return "v2";
        }
    }

    /** A request kind this build does not know; its bytes survive re-encoding unchanged. */
    record Unknown(List<Integer> fieldNumbers) implements EtcdRequest {
        public Unknown {
            fieldNumbers = List.copyOf(fieldNumbers);
        }

        public String op() {
            return "unknown";
        }
    }

    /** A txn compare: {@code target} of {@code key} (or a range) {@code result} the given operand. */
    record Compare(int result, int target, byte[] key, byte[] rangeEnd, long number, byte[] value) {
        public static final int EQUAL = 0;
        public static final int GREATER = 1;
        public static final int LESS = 2;
        public static final int NOT_EQUAL = 3;

        public static final int VERSION = 0;
        public static final int CREATE = 1;
        public static final int MOD = 2;
        public static final int VALUE = 3;
        public static final int LEASE = 4;
    }
}
