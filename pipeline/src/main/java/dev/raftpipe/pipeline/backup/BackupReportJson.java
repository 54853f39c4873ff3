package dev.raftpipe.pipeline.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.pipeline.replay.ReplayReportJson;
import dev.raftpipe.stages.RedactionSummary;

import java.util.HexFormat;

/** {@code backup}'s report as one JSON object. */
public final class BackupReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupReportJson() {
    }

    public static ObjectNode of(Backup.Report r) {
        ObjectNode o = JSON.createObjectNode();
        BackupOptions opts = r.options();
        o.put("backup_dir", opts.backupDir().toString());
        o.put("wal_dir", opts.backupWalDir().orElse(opts.backupDir().resolve("member/wal")).toString());
        o.put("entries", r.log().entries());
        o.put("first_index", r.log().firstIndex());
        o.put("last_index", r.log().lastIndex());
        o.put("overwritten_left_out", r.log().overwritten());
        RedactionSummary s = r.redaction();
        ObjectNode rewritten = o.putObject("rewritten");
        rewritten.put("total", s.rewritten());
        rewritten.put("dropped", s.dropped());
        rewritten.put("dropped_txns", s.droppedTxns());
        rewritten.put("other_keys_in_dropped_txns", s.otherKeysInDroppedTxns());
        rewritten.put("masked_entries", s.maskedEntries());
        rewritten.put("masked_values", s.maskedValues());
        rewritten.put("membership_stripped", s.membershipStripped());
        o.put("bytes_written", r.wal().bytesWritten());
        o.put("segments", r.wal().segments().size());
        o.put("snap_copied", r.snapCopied());
        if (r.metadata() != null) {
            o.putObject("new_ids").put("node_id", NodeIds.hex(r.metadata().nodeId()))
                    .put("cluster_id", NodeIds.hex(r.metadata().clusterId()));
        }
        if (opts.maskKeyGenerated()) {
            // the only copy of the key: without it nobody can check a value against the backup
            o.put("mask_key", HexFormat.of().formatHex(opts.policy().maskKey()));
        }
        r.backend().ifPresent(b -> {
            o.put("backend", opts.backend().orElseThrow().toString());
            o.put("backend_consistent_index", b.meta().consistentIndex());
            o.put("backend_revision", b.meta().revision());
        });
        o.put("verified", opts.verify());
        o.put("duration_ms", r.duration().toMillis());
        return o;
    }
}
