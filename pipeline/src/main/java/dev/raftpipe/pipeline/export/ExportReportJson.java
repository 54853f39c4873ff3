package dev.raftpipe.pipeline.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.db.EtcdDbWriter;

/** {@code export --json}: one object; field names are a public contract (docs/commands.md). */
public final class ExportReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportReportJson() {
    }

    public static ObjectNode of(ExportJob.Report r, boolean history) {
        EtcdDbWriter.Written w = r.published().written();
        ObjectNode o = JSON.createObjectNode();
        o.put("source", r.source().toString());
        o.put("source_kind", r.kind().label());
        o.put("etcd_snapshot", r.published().file().toString());
        o.put("etcd_version", w.etcdVersion().label());
        o.put("bytes", r.published().bytes());
        o.put("sha256", r.published().sha256());
        o.put("history", history);
        o.put("stored_revisions", w.keys());
        if (w.liveKeys() >= 0) {
            o.put("keys", w.liveKeys());
        } else {
            o.putNull("keys");
        }
        o.put("leases", w.leases());
        o.put("members", w.members());
        o.put("consistent_index", w.consistentIndex());
        o.put("revision", w.revision());
        o.put("status_hash", r.published().statusHash());
        o.put("duration_ms", r.duration().toMillis());
        return o;
    }
}
