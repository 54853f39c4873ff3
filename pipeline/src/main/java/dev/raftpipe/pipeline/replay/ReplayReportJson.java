package dev.raftpipe.pipeline.replay;

import dev.raftpipe.pipeline.job.ReplayJob;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.stages.ReplaySummary;
import dev.raftpipe.store.BackendMeta;

/** {@code replay}'s report, as one JSON object or as text. */
public final class ReplayReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayReportJson() {
    }

    public static ObjectNode of(ReplayJob.Report r) {
        ReplaySummary s = r.replay();
        BackendMeta m = s.meta();
        ObjectNode o = JSON.createObjectNode();
        o.put("wal_dir", r.walDir().toString());
        o.put("backend", s.backend().toString());
        o.put("applied", s.applied());
        o.put("skipped", s.skipped());
        o.put("uncommitted", s.uncommitted());
        ObjectNode rejected = o.putObject("rejected");
        s.rejected().forEach(rejected::put);
        putIndex(o, "first_applied_index", s.firstApplied());
        putIndex(o, "last_applied_index", s.lastApplied());
        o.put("last_index", s.lastCommitted());
        o.put("overwritten", r.log().overwritten());
        o.put("batches", s.batches());
        o.put("revision", m.revision());
        o.put("compact_revision", m.compactRevision());
        o.put("consistent_index", m.consistentIndex());
        o.put("term", m.term());
        o.putArray("voters").addAll(m.confState().voters().stream()
                .map(id -> JSON.getNodeFactory().textNode(NodeIds.hex(id))).toList());
        s.clusterId().ifPresentOrElse(id -> o.put("cluster_id", NodeIds.hex(id)), () -> o.putNull("cluster_id"));
        var snapshots = o.putArray("snapshots");
        s.revisionsAtSnapshots().forEach((index, revision) -> snapshots.addObject().put("index", index)
                .put("revision", revision));
        r.cut().ifPresent(c -> o.putObject("point_in_time").put("index", c.index()).put("term", c.term())
                .put("last_committed", c.lastCommitted()).put("entries_left_out", c.entriesLeftOut()));
        o.put("duration_ms", r.duration().toMillis());
        o.put("bytes_read", r.read().bytesRead());
        return o;
    }

    /** A data dir's replay: the WAL tail's report, with where the db seeded the backend. */
    public static ObjectNode of(DataDirReplay.Report r) {
        ObjectNode tail = of(r.tail());
        ObjectNode o = JSON.createObjectNode();
        o.put("data_dir", r.dataDir().dir().toString());
        o.put("db_consistent_index", r.dbConsistentIndex());
        r.dataDir().snap().ifPresentOrElse(s -> o.put("snap_index", s.index()), () -> o.putNull("snap_index"));
        r.seeded().ifPresentOrElse(s -> o.put("seeded_records", s.restore().counts().total()),
                () -> o.putNull("seeded_records"));
        o.setAll(tail);
        o.put("duration_ms", r.duration().toMillis());
        return o;
    }

    /** An etcd snapshot (file or member) made into a new backend. */
    public static ObjectNode of(SnapshotReplay.Report r) {
        BackendMeta m = r.restore().meta();
        ObjectNode o = JSON.createObjectNode();
        o.put("source", r.source());
        o.put("source_kind", r.kind());
        o.put("backend", r.restore().backend().toString());
        o.put("revision", m.revision());
        o.put("compact_revision", m.compactRevision());
        o.put("consistent_index", m.consistentIndex());
        o.put("term", m.term());
        o.put("keys", r.restore().counts().keys());
        o.put("leases", r.restore().counts().leases());
        o.put("members", r.restore().counts().members());
        o.put("duration_ms", r.duration().toMillis());
        return o;
    }

    public static String text(SnapshotReplay.Report r) {
        BackendMeta m = r.restore().meta();
        return String.format("source       %s (%s)%nbackend      %s%nstate        %,d keys, %,d leases, %,d members at "
                        + "revision %d (compacted at %d), consistent_index %d, term %d%ntook         %d ms%n", r.source(),
                r.kind(), r.restore().backend(), r.restore().counts().keys(), r.restore().counts().leases(),
                r.restore().counts().members(), m.revision(), m.compactRevision(), m.consistentIndex(), m.term(),
                r.duration().toMillis());
    }

    public static String text(DataDirReplay.Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("data dir     %s%n", r.dataDir().dir()));
        b.append(r.seeded().map(s -> String.format("seeded       %,d keys, %,d leases, %,d members from the db at "
                                + "consistent_index %d%s%n", s.restore().counts().keys(), s.restore().counts().leases(),
                        s.restore().counts().members(), r.dbConsistentIndex(),
                        r.dataDir().snap().map(snap -> " (membership from the .snap at " + snap.index() + ")").orElse("")))
                .orElse(String.format("seeded       no: the backend already stood at or past the db's index %d%n",
                        r.dbConsistentIndex())));
        return b + text(r.tail());
    }

    public static String text(ReplayJob.Report r) {
        ReplaySummary s = r.replay();
        BackendMeta m = s.meta();
        StringBuilder b = new StringBuilder();
        b.append(String.format("backend      %s%n", s.backend()));
        b.append(String.format("applied      %d entries%s in %d batch%s, %d skipped (already applied), "
                        + "%d uncommitted left out%n", s.applied(),
                s.applied() == 0 ? "" : " (index " + s.firstApplied() + ".." + s.lastApplied() + ")",
                s.batches(), s.batches() == 1 ? "" : "es", s.skipped(), s.uncommitted()));
        if (!s.rejected().isEmpty()) {
            StringBuilder reasons = new StringBuilder();
            s.rejected().forEach((reason, n) -> reasons.append(reasons.length() == 0 ? "" : ", ")
                    .append(n).append(" × ").append(reason));
            b.append(String.format("failed       %s (applied as etcd does: no change)%n", reasons));
        }
        b.append(String.format("revision     %d%s%n", m.revision(),
                m.compactRevision() > 0 ? " (compacted at " + m.compactRevision() + ")" : ""));
        b.append(String.format("consistent   index %d, term %d%n", m.consistentIndex(), m.term()));
        double seconds = Math.max(1e-3, r.duration().toNanos() / 1e9);
        b.append(String.format("took         %.2f s (%.0f entries/s)%n", seconds, s.applied() / seconds));
        return b.toString();
    }

    private static void putIndex(ObjectNode o, String field, long index) {
        if (index == 0) {
            o.putNull(field);
        } else {
            o.put(field, index);
        }
    }
}
