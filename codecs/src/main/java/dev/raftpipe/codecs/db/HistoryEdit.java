package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.redact.RedactionPolicy;

import java.util.List;
import java.util.Optional;

/**
 * How a copied history differs from its source db, for a redacted backup of a purged cluster: the policy's rules
 * applied to every stored revision, membership replaced by one member (as etcdutl's backup does), the auth buckets
 * left out.
 *
 * @param soleMember the only member of the copy (its {@code members} bucket, {@code members_removed} emptied, 3.5's
 *                   {@code meta/confState}); empty keeps the source's membership
 * @param dropAuth   leave out {@code auth}, {@code authRoles} and {@code authUsers} (etcd starts with auth disabled)
 */
public record HistoryEdit(RedactionPolicy policy, Optional<StateRecord.Member> soleMember, boolean dropAuth) {
    public static final HistoryEdit NONE = new HistoryEdit(RedactionPolicy.none(), Optional.empty(), false);

    /** The auth buckets etcd creates (empty, auth disabled) on start when they are missing. */
    static final List<String> AUTH_BUCKETS = List.of("auth", "authRoles", "authUsers");

    /** etcdutl backup's member: a new ID, name {@code etcdctl-v2-backup}, a peer URL that says what to do. */
    public static StateRecord.Member backupMember(long id) {
        return new StateRecord.Member(id, "etcdctl-v2-backup", List.of("http://use-flag--force-new-cluster:2080"),
                List.of(), false);
    }

    /**
     * What the edit changed.
     *
     * @param placeholder the revision of the empty-value record that keeps etcd's revision where dropped keys had
     *                    taken it, or 0
     */
    public record Summary(long maskedRevisions, long droppedRevisions, long placeholder) {
        public static final Summary NONE = new Summary(0, 0, 0);
    }
}
