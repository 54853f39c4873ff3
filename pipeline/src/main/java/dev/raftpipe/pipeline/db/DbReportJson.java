package dev.raftpipe.pipeline.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.DbInspection;
import dev.raftpipe.codecs.db.DbMeta;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.pipeline.MetaFallbackJson;

import java.util.List;
import java.util.Map;

/** {@code db inspect --json}: one object; field names are a public contract (docs/commands.md). */
public final class DbReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DbReportJson() {
    }

    public static ObjectNode of(DbInspectJob.Report report) {
        DbInspection r = report.inspection();
        DbMeta m = r.meta();
        ObjectNode o = JSON.createObjectNode();
        o.put("db", r.path().toString());
        o.put("size", r.fileSize());
        o.put("total_size", r.usedSize());
        o.put("page_size", r.boltMeta().pageSize());
        o.put("txid", r.boltMeta().txid());
        o.put("meta_page", r.boltMeta().page());
        r.metaFallback().ifPresent(f -> o.set("meta_fallback", MetaFallbackJson.of(f)));
        o.put("trailer", r.trailer().label());
        ObjectNode buckets = o.putObject("buckets");
        for (Map.Entry<String, Long> b : r.buckets().entrySet()) {
            buckets.put(b.getKey(), b.getValue());
        }
        o.put("consistent_index", m.consistentIndex());
        if (m.term().isPresent()) {
            o.put("term", m.term().getAsLong());
        } else {
            o.putNull("term");
        }
        if (m.confState() != null) {
            ObjectNode conf = o.putObject("conf_state");
            ids(conf.putArray("voters"), m.confState().voters());
            ids(conf.putArray("learners"), m.confState().learners());
        } else {
            o.putNull("conf_state");
        }
        ArrayNode members = o.putArray("members");
        for (StateRecord.Member mb : r.members()) {
            ObjectNode n = members.addObject().put("id", NodeIds.hex(mb.id())).put("name", mb.name());
            mb.peerUrls().forEach(n.putArray("peer_urls")::add);
            mb.clientUrls().forEach(n.putArray("client_urls")::add);
            n.put("is_learner", mb.isLearner());
        }
        o.put("cluster_version", m.clusterVersion());
        o.put("revision", m.revision());
        o.put("status_revision", m.statusRevision());
        o.put("compact_revision", m.finishedCompactRevision());
        o.put("scheduled_compact_revision", m.scheduledCompactRevision());
        o.put("live_keys", r.liveKeys());
        o.put("stored_revisions", r.storedRevisions());
        o.put("total_key", r.totalKey());
        o.put("hash_kv", r.hashKv());
        o.put("hash_kv_revision", r.hashKvRevision());
        o.put("hash_kv_compact_revision", r.hashKvCompactRevision());
        o.put("status_hash", r.statusHash());
        o.put("duration_ms", report.duration().toMillis());
        return o;
    }

    private static void ids(ArrayNode into, List<Long> ids) {
        ids.forEach(id -> into.add(NodeIds.hex(id)));
    }

    /** Human-readable form of the same report. */
    public static String text(DbInspectJob.Report report) {
        DbInspection r = report.inspection();
        DbMeta m = r.meta();
        StringBuilder b = new StringBuilder();
        b.append(String.format("db             %s (%,d bytes, %,d in use, pages of %d)%n", r.path(), r.fileSize(),
                r.usedSize(), r.boltMeta().pageSize()));
        b.append(String.format("bbolt          txid %d, meta page %d%s%n", r.boltMeta().txid(), r.boltMeta().page(),
                r.metaFallback().map(f -> " (" + f.describe() + ")").orElse("")));
        b.append(String.format("trailer        %s%n", switch (r.trailer()) {
            case NONE -> "none (a plain db)";
            case VERIFIED -> "SHA-256 verified (an etcdctl snapshot)";
            case SKIPPED -> "present, not checked (--skip-hash-check)";
        }));
        StringBuilder counts = new StringBuilder();
        r.buckets().forEach((name, n) -> counts.append(counts.length() == 0 ? "" : ", ").append(name).append(' ').append(n));
        b.append(String.format("buckets        %s%n", counts));
        b.append(String.format("position       consistent_index %d, term %s%s%n", m.consistentIndex(),
                m.term().isPresent() ? Long.toString(m.term().getAsLong()) : "not recorded (etcd 3.4)",
                m.clusterVersion().isEmpty() ? "" : ", cluster version " + m.clusterVersion()));
        if (m.confState() != null) {
            b.append(String.format("conf state     voters %s, learners %s%n", hex(m.confState().voters()),
                    hex(m.confState().learners())));
        }
        for (StateRecord.Member mb : r.members()) {
            b.append(String.format("member         %s %s %s%s%n", NodeIds.hex(mb.id()), mb.name().isEmpty() ? "(unnamed)" : mb.name(),
                    String.join(",", mb.peerUrls()), mb.isLearner() ? " (learner)" : ""));
        }
        b.append(String.format("revision       %d (etcdutl's: %d), compacted at %d%s%n", m.revision(), m.statusRevision(),
                m.finishedCompactRevision(), m.scheduledCompactRevision() > m.finishedCompactRevision()
                        ? ", compaction to " + m.scheduledCompactRevision() + " scheduled" : ""));
        b.append(String.format("keys           %,d live, %,d stored revisions, %,d entries in all buckets%n",
                r.liveKeys(), r.storedRevisions(), r.totalKey()));
        b.append(String.format("hash_kv        %d at revision %d (compact revision %d)%n", r.hashKv(), r.hashKvRevision(),
                r.hashKvCompactRevision()));
        b.append(String.format("status hash    %x (etcdutl snapshot status)%n", r.statusHash()));
        double seconds = Math.max(1e-3, report.duration().toNanos() / 1e9);
        b.append(String.format("read in        %.2f s (%.1f MB/s)%n", seconds, r.usedSize() / 1e6 / seconds));
        return b.toString();
    }

    private static String hex(List<Long> ids) {
        return ids.stream().map(NodeIds::hex).toList().toString();
    }
}
