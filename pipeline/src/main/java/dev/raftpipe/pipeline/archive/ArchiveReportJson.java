package dev.raftpipe.pipeline.archive;

import dev.raftpipe.pipeline.job.SealJob;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.archive.ArchiveMeta;
import dev.raftpipe.codecs.archive.ArchiveSidecar;
import dev.raftpipe.codecs.archive.VerifiedArchive;
import dev.raftpipe.pipeline.replay.ReplayReportJson;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.stages.ArchiveSummary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Reports of the archive commands, as JSON objects or text. */
public final class ArchiveReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ArchiveReportJson() {
    }

    public static ObjectNode sealed(SealJob.Report s) {
        ArchiveSummary a = s.summary();
        ObjectNode o = meta(a.archive(), a.meta(), a.checksum(), a.archiveBytes());
        o.put("self_tested", a.selfTested());
        o.put("duration_ms", s.duration().toMillis());
        o.put("state_mb_per_s", rate(a.meta().size(), s.duration()));
        return o;
    }

    public static ObjectNode verified(Path archive, VerifiedArchive v, Duration took) {
        ObjectNode o = meta(archive, v.meta(), v.checksum(), v.archiveBytes());
        o.put("ok", true);
        o.put("duration_ms", took.toMillis());
        o.put("state_mb_per_s", rate(v.stateBytes(), took));
        return o;
    }

    /** A sealed archive inspected without its key: meta.json as stated, nothing verified. */
    public static ObjectNode unverified(Path archive, ArchiveMeta m) {
        ObjectNode o = meta(archive, m, "", 0);
        o.remove(List.of("checksum", "archive_bytes"));
        o.put("ok", false);
        o.put("verified", "no: the archive is sealed (" + m.sealer() + "); give --key-file to verify it"
                + (m.encryption().isPresent() ? " and read its encrypted state" : ""));
        return o;
    }

    public static ObjectNode restored(ArchiveJobs.Restored r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("backend", r.restore().backend().toString());
        o.put("archive_checksum", r.archive().checksum());
        o.put("archive_index", r.archive().meta().index());
        r.restore().counts().putInto(o);
        r.tail().ifPresent(t -> o.set("wal_tail", ReplayReportJson.of(t)));
        var meta = r.tail().map(t -> t.replay().meta()).orElse(r.restore().meta());
        o.put("consistent_index", meta.consistentIndex());
        o.put("term", meta.term());
        o.put("revision", meta.revision());
        o.put("duration_ms", r.duration().toMillis());
        return o;
    }

    private static ObjectNode meta(Path archive, ArchiveMeta m, String checksum, long archiveBytes) {
        ObjectNode o = JSON.createObjectNode();
        o.put("archive", archive.toString());
        o.setAll(ArchiveSidecar.fields(m, checksum, archiveBytes));
        var servers = o.putArray("servers");
        m.servers().forEach(s -> servers.addObject().put("id", NodeIds.hex(s.id())).put("address", s.address())
                .put("suffrage", s.suffrage() == 0 ? "voter" : "nonvoter"));
        m.contentDigest().ifPresent(d -> o.put("content_digest", d));
        return o;
    }

    private static double rate(long bytes, Duration took) {
        return Math.round(bytes / 1e6 / Math.max(1e-3, took.toNanos() / 1e9) * 10) / 10.0;
    }

    /** Key: value lines, for a person. */
    public static String text(ObjectNode o) {
        StringBuilder b = new StringBuilder();
        o.fields().forEachRemaining(e -> b.append(String.format("%-18s %s%n", e.getKey().replace('_', ' '),
                e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
        return b.toString();
    }
}
