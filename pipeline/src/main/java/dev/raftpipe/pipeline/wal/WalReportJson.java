package dev.raftpipe.pipeline.wal;

import dev.raftpipe.pipeline.job.WalInspectJob;
import dev.raftpipe.codecs.raft.NodeIds;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;
import dev.raftpipe.codecs.wal.RecordType;

/** {@code wal inspect --json}: one object; field names are a public contract (docs/commands.md). */
public final class WalReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WalReportJson() {
    }

    public static ObjectNode of(WalInspectJob.Report r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("wal_dir", r.walDir().toString());
        o.put("segments", r.read().segments().size());
        ArrayNode names = o.putArray("segment_files");
        r.read().segments().forEach(names::add);
        o.put("bytes", r.read().bytesRead());
        o.put("duration_ms", r.duration().toMillis());
        ObjectNode records = o.putObject("records");
        for (RecordType t : RecordType.values()) {
            records.put(t.label(), r.read().count(t));
        }
        o.put("entries", r.log().entries());
        o.put("first_index", r.log().firstIndex());
        o.put("last_index", r.log().lastIndex());
        o.put("last_term", r.log().lastTerm());
        o.put("overwritten", r.log().overwritten());
        o.put("uncommitted", r.log().uncommitted());
        HardState hs = r.log().hardState();
        ObjectNode hard = o.putObject("hard_state");
        hard.put("term", hs.term());
        hard.put("vote", NodeIds.hex(hs.vote()));
        hard.put("commit", hs.commit());
        ArrayNode snaps = o.putArray("snapshots");
        for (WalSnapshot s : r.log().snapshots()) {
            snaps.addObject().put("index", s.index()).put("term", s.term());
        }
        r.read().metadata().ifPresentOrElse(m -> o.putObject("metadata")
                        .put("node_id", NodeIds.hex(m.nodeId()))
                        .put("cluster_id", NodeIds.hex(m.clusterId())),
                () -> o.putNull("metadata"));
        o.put("crc_ok", true);
        r.read().tornTail().ifPresentOrElse(t -> o.putObject("torn_tail")
                        .put("segment", t.segment()).put("offset", t.offset()).put("reason", t.reason()),
                () -> o.putNull("torn_tail"));
        return o;
    }

    /** Human-readable form of the same report. */
    public static String text(WalInspectJob.Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("WAL          %s (%d segment%s, %d bytes of records)%n", r.walDir(),
                r.read().segments().size(), r.read().segments().size() == 1 ? "" : "s", r.read().bytesRead()));
        StringBuilder counts = new StringBuilder();
        for (RecordType t : RecordType.values()) {
            counts.append(counts.length() == 0 ? "" : ", ").append(t.label()).append(' ').append(r.read().count(t));
        }
        b.append(String.format("records      %s%n", counts));
        b.append(String.format("entries      %d (index %d..%d, last term %d), %d overwritten, %d uncommitted%n",
                r.log().entries(), r.log().firstIndex(), r.log().lastIndex(), r.log().lastTerm(),
                r.log().overwritten(), r.log().uncommitted()));
        HardState hs = r.log().hardState();
        b.append(String.format("hard state   term %d, vote %s, commit %d%n", hs.term(), NodeIds.hex(hs.vote()), hs.commit()));
        StringBuilder snaps = new StringBuilder();
        for (WalSnapshot s : r.log().snapshots()) {
            snaps.append(snaps.length() == 0 ? "" : " ").append(s.index()).append('/').append(s.term());
        }
        b.append(String.format("snapshots    %s%n", snaps.length() == 0 ? "none" : snaps + " (index/term)"));
        r.read().metadata().ifPresent(m -> b.append(String.format("member       %s in cluster %s%n",
                NodeIds.hex(m.nodeId()), NodeIds.hex(m.clusterId()))));
        b.append("crc          ok\n");
        double seconds = Math.max(1e-3, r.duration().toNanos() / 1e9);
        b.append(String.format("read in      %.2f s (%.1f MB/s)%n", seconds, r.read().bytesRead() / 1e6 / seconds));
        r.read().tornTail().ifPresent(t -> b.append(String.format(
                "torn tail    %s at offset %d: %s (left out, as etcd's repair would)%n", t.segment(), t.offset(), t.reason())));
        return b.toString();
    }
}
