package dev.raftpipe.pipeline.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.NodeIds;

/** {@code restore --etcd-data-dir --json}: one object; field names are a public contract (docs/commands.md). */
public final class MemberRestoreReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberRestoreReportJson() {
    }

    public static ObjectNode of(MemberRestoreJob.Report r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("member", r.member().toString());
        o.put("member_id", NodeIds.hex(r.self().id()));
        o.put("cluster_id", NodeIds.hex(r.cluster().clusterId()));
        o.put("etcd_version", r.db().written().etcdVersion().label());
        o.put("keys", r.db().written().liveKeys());
        o.put("revision", r.db().written().revision());
        o.put("consistent_index", r.db().written().consistentIndex());
        o.put("snap", r.snap().toString());
        o.put("duration_ms", r.duration().toMillis());
        return o;
    }
}
