package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.etcd.EtcdVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * etcd's position as its db records it ({@code meta} and {@code cluster} buckets), and the revisions derived
 * from the {@code key} bucket.
 *
 * @param term          {@code meta/term}, written from etcd 3.5 on
 * @param confState     {@code meta/confState} (3.5+): voters and learners, or {@code null}
 * @param revision      etcd's current revision on start: the highest stored main revision, or
 *                      {@code finishedCompactRev} if higher
 * @param statusRevision etcdutl's: the main revision of the last stored key (0 for an empty bucket)
 * @param clusterVersion {@code cluster/clusterVersion}, e.g. {@code 3.5.0}; empty when not set
 */
public record DbMeta(long consistentIndex, OptionalLong term, ConfState confState, long scheduledCompactRevision,
                     long finishedCompactRevision, long revision, long statusRevision, String clusterVersion) {

    public record ConfState(List<Long> voters, List<Long> learners) {
        public ConfState {
            voters = List.copyOf(voters);
            learners = List.copyOf(learners);
        }
    }

    /** The compaction etcd's index holds after it starts: it finishes a scheduled one first. */
    public long effectiveCompactRevision() {
        return Math.max(scheduledCompactRevision, finishedCompactRevision);
    }

    /** The version of the etcd that served this db, by its cluster version; empty when that is not set. */
    public Optional<EtcdVersion> servedBy() {
        return EtcdVersion.ofClusterVersion(clusterVersion);
    }

    /** The version whose layout the db has: only 3.5 and newer keep {@code meta/term}. */
    public EtcdVersion layout() {
        return term.isPresent() ? EtcdVersion.V3_5 : EtcdVersion.V3_4;
    }
}
