package dev.raftpipe.pipeline.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.db.DbMeta;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.HistoryEdit;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.pipeline.archive.WalArchiveJob;

import java.util.List;
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
        o.put("wal_dir", opts.backupWalDir().orElse(MemberDir.of(opts.backupDir()).walDir()).toString());
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
        r.base().ifPresent(b -> {
            db(o, b.db(), b.edits(), b.source());
            o.with("db").put("snap", b.snap().getFileName().toString());
        });
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

    public static ObjectNode of(ArchivedBackup.Report<Backup.Report> r) {
        ObjectNode o = of(r.backup());
        o.remove(List.of("backup_dir", "wal_dir", "segments", "snap_copied"));
        archive(o, r.archive());
        return o;
    }

    public static ObjectNode ofSnapshotArchive(ArchivedBackup.Report<SnapshotBackup.Report> r) {
        ObjectNode o = of(r.backup());
        o.remove(List.of("backup_dir", "wal_dir"));
        archive(o, r.archive());
        return o;
    }

    private static void archive(ObjectNode o, WalArchiveJob.Packed p) {
        ObjectNode a = o.putObject("archive");
        a.put("path", p.archive().toString());
        a.put("kind", "wal");
        a.put("format_version", p.meta().format());
        a.put("bytes", p.bytes());
        a.put("checksum", p.checksum());
        a.put("first_index", p.meta().firstIndex());
        a.put("last_index", p.meta().lastIndex());
        a.put("base_index", p.meta().baseIndex());
        a.put("content_digest", p.meta().contentDigest());
        a.put("sealer", p.meta().sealer());
        a.put("self_tested", true);
    }

    public static ObjectNode of(SnapshotBackup.Report r) {
        ObjectNode o = JSON.createObjectNode();
        SnapshotBackup.Options opts = r.options();
        o.put("source", opts.source());
        if (opts.output() instanceof SnapshotBackup.DataDirOutput d) {
            o.put("backup_dir", d.path().toString());
            o.put("wal_dir", d.walDir().orElse(MemberDir.of(d.path()).walDir()).toString());
        } else {
            o.put("export", opts.output().path().toString());
            o.put("sha256", r.db().sha256());
        }
        db(o, r.db(), r.edits(), r.sourceMeta());
        r.snap().ifPresent(s -> o.with("db").put("snap", s.getFileName().toString()));
        r.ids().ifPresent(ids -> o.putObject("new_ids").put("node_id", NodeIds.hex(ids.nodeId()))
                .put("cluster_id", NodeIds.hex(ids.clusterId())));
        if (opts.maskKeyGenerated()) {
            o.put("mask_key", HexFormat.of().formatHex(opts.policy().maskKey()));
        }
        r.backend().ifPresent(b -> {
            o.put("backend", ((SnapshotBackup.DataDirOutput) opts.output()).backend().orElseThrow().toString());
            o.put("backend_consistent_index", b.meta().consistentIndex());
            o.put("backend_revision", b.meta().revision());
        });
        o.put("duration_ms", r.duration().toMillis());
        return o;
    }

    /** The rewritten db: where the source stood and what the rules changed in its history. */
    private static void db(ObjectNode o, EtcdDbFile.Published written, HistoryEdit.Summary edits, DbMeta source) {
        ObjectNode db = o.putObject("db");
        db.put("consistent_index", source.consistentIndex());
        db.put("revision", written.written().revision());
        db.put("stored_revisions", written.written().keys());
        db.put("masked_revisions", edits.maskedRevisions());
        db.put("dropped_revisions", edits.droppedRevisions());
        if (edits.placeholder() > 0) {
            db.put("revision_placeholder", edits.placeholder());
        }
    }
}
