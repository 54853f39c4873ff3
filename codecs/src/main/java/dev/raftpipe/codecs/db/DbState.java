package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.snap.SnapFile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A db's live state as the state records an archive and a backend hold: the meta record, members, leases,
 * then the live keys in key order.
 */
public final class DbState {
    private DbState() {
    }

    public static Iterator<StateRecord> records(EtcdDb db, LiveState live) throws IOException {
        return records(db, live, Optional.empty());
    }

    /**
     * With membership from a {@code .snap} file, as etcd rebuilds it on start: members and the voters of its
     * ConfState replace the db's {@code members} bucket (which etcd 3.4's own restore leaves stale).
     */
    public static Iterator<StateRecord> records(EtcdDb db, LiveState live, Optional<SnapFile> membership)
            throws IOException {
        List<StateRecord> head = new ArrayList<>();
        List<StateRecord.Member> members = membership.map(SnapFile::members).orElseGet(db::members);
        StateRecord.Meta meta = meta(db, members);
        if (membership.isPresent()) {
            SnapFile snap = membership.get();
            meta = new StateRecord.Meta(meta.consistentIndex(), meta.term(), meta.revision(), meta.compactRevision(),
                    snap.confState().voters(), snap.confState().learners(),
                    meta.clusterVersion().isEmpty() ? snap.clusterVersion() : meta.clusterVersion(), meta.applyMode());
        }
        head.add(meta);
        head.addAll(members);
        Iterator<StateRecord.Lease> leases = db.leases().iterator();
        Iterator<StateRecord.BucketEntry> carried = carried(db).iterator();
        Iterator<StateRecord.KeyValue> keys = live.keys();
        Iterator<StateRecord> first = head.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || leases.hasNext() || carried.hasNext() || keys.hasNext();
            }

            @Override
            public StateRecord next() {
                if (first.hasNext()) {
                    return first.next();
                }
                if (leases.hasNext()) {
                    return leases.next();
                }
                return carried.hasNext() ? carried.next() : keys.next();
            }
        };
    }

    /** The buckets carried as raw entries, by bucket then key: small (users, roles, alarms), so held in memory. */
    static List<StateRecord.BucketEntry> carried(EtcdDb db) {
        List<StateRecord.BucketEntry> out = new ArrayList<>();
        for (String bucket : EtcdDb.CARRIED) {
            for (BoltEntry e : db.entries(bucket)) {
                out.add(new StateRecord.BucketEntry(bucket, e.key(), e.value()));
            }
        }
        return out;
    }

    /**
     * The meta record: voters and learners from {@code confState} where etcd 3.5 keeps it, else from the
     * members bucket; term 0 where the db does not record it (3.4 keeps it only in the WAL and snap files).
     */
    static StateRecord.Meta meta(EtcdDb db, List<StateRecord.Member> members) {
        DbMeta m = db.meta();
        List<Long> voters = new ArrayList<>();
        List<Long> learners = new ArrayList<>();
        if (m.confState() != null) {
            voters.addAll(m.confState().voters());
            learners.addAll(m.confState().learners());
        } else {
            for (StateRecord.Member member : members) {
                (member.isLearner() ? learners : voters).add(member.id());
            }
        }
        return new StateRecord.Meta(m.consistentIndex(), m.term().orElse(0), m.revision(), m.effectiveCompactRevision(),
                voters, learners, m.clusterVersion(), applyMode(db));
    }

    private static String applyMode(EtcdDb db) {
        String mode = "normal";
        for (BoltEntry e : db.entries("alarm")) {
            int alarm = EtcdValues.alarm(e.key());
            if (alarm == 2) {
                return "corrupt";
            }
            if (alarm == 1) {
                mode = "nospace";
            }
        }
        return mode;
    }
}
