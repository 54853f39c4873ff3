package dev.raftpipe.pipeline.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.archive.WalArchiveMeta;
import dev.raftpipe.codecs.raft.NodeIds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A WAL archive's meta.json as {@code verify} and {@code inspect} report it. */
public final class WalArchiveReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WalArchiveReportJson() {
    }

    /**
     * @param verified the whole file's checksum and how long the check took, when it was verified; empty for the
     *                 public meta.json of a sealed archive read without its key
     */
    public static ObjectNode of(Path archive, WalArchiveMeta m, Optional<String> checksum, Optional<Duration> took) {
        ObjectNode o = JSON.createObjectNode();
        o.put("archive", archive.toString());
        o.put("kind", WalArchiveMeta.KIND);
        o.put("verified", took.isPresent());
        o.put("format_version", m.format());
        o.put("producer", m.producer());
        o.put("first_index", m.firstIndex());
        o.put("last_index", m.lastIndex());
        o.put("last_term", m.lastTerm());
        o.put("base_index", m.baseIndex());
        o.put("entries", m.entries());
        o.putObject("hard_state").put("term", m.hardState().term()).put("vote", NodeIds.hex(m.hardState().vote()))
                .put("commit", m.hardState().commit());
        m.snapshotIndexes().forEach(o.putArray("snapshot_indexes")::add);
        m.clusterId().ifPresent(id -> o.put("cluster_id", NodeIds.hex(id)));
        o.put("member_id", NodeIds.hex(m.memberId()));
        m.dbConsistentIndex().ifPresent(i -> o.put("db_consistent_index", i));
        o.put("content_digest", m.contentDigest());
        o.put("sealer", m.sealer());
        checksum.ifPresent(c -> o.put("checksum", c));
        took.ifPresent(d -> o.put("duration_ms", d.toMillis()));
        return o;
    }
}
