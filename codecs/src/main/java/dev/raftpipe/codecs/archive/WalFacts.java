package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.wal.WalMetadata;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a WAL archive holds, known once its last segment is written: {@code wal.json}, after the segments (format 5;
 * format 4 kept these fields in meta.json).
 *
 * @param contentDigest     the entries' {@link dev.raftpipe.codecs.digest.ContentDigest} (sha-256), as stored
 * @param dbConsistentIndex the db's consistent_index when the archive holds one (the earliest point it can give)
 */
public record WalFacts(OptionalLong clusterId, long memberId, long firstIndex, long lastIndex, long lastTerm,
                       HardState hardState, List<Long> snapshotIndexes, OptionalLong dbConsistentIndex,
                       String contentDigest, long entries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public WalFacts {
        snapshotIndexes = List.copyOf(snapshotIndexes);
    }

    /** The facts of a WAL read whole, with the db's consistent_index if the archive holds a db. */
    public static WalFacts of(WalContent wal, OptionalLong dbConsistentIndex) {
        WalMetadata ids = wal.metadata().orElseThrow(() -> new IllegalArgumentException("the WAL has no metadata"));
        return new WalFacts(ids.clusterId() == 0 ? OptionalLong.empty() : OptionalLong.of(ids.clusterId()),
                ids.nodeId(), wal.firstIndex(), wal.lastIndex(), wal.lastTerm(), wal.hardState(),
                wal.snapshotIndexes(), dbConsistentIndex, wal.contentDigest(), wal.digest().elements());
    }

    /** Whether {@code read} (the WAL read back) holds what these facts say; the first difference otherwise. */
    public Optional<String> difference(WalContent read) {
        if (read.contentDigest().equals(contentDigest) && read.digest().elements() == entries
                && read.firstIndex() == firstIndex && read.lastIndex() == lastIndex && read.lastTerm() == lastTerm
                && read.hardState().equals(hardState) && read.snapshotIndexes().equals(snapshotIndexes)) {
            return Optional.empty();
        }
        return Optional.of("entries " + read.firstIndex() + ".." + read.lastIndex() + " ("
                + read.digest().elements() + ", last term " + read.lastTerm() + ", " + read.hardState()
                + ", snapshots " + read.snapshotIndexes() + ") vs " + firstIndex + ".." + lastIndex + " (" + entries
                + ", last term " + lastTerm + ", " + hardState + ", snapshots " + snapshotIndexes + ")"
                + (read.contentDigest().equals(contentDigest) ? "" : ", content digest differs"));
    }

    void writeTo(ObjectNode o) {
        clusterId.ifPresent(id -> o.put("cluster_id", NodeIds.hex(id)));
        o.put("member_id", NodeIds.hex(memberId));
        o.put("first_index", firstIndex);
        o.put("last_index", lastIndex);
        o.put("last_term", lastTerm);
        o.putObject("hard_state").put("term", hardState.term()).put("vote", NodeIds.hex(hardState.vote()))
                .put("commit", hardState.commit());
        var snaps = o.putArray("snapshot_indexes");
        snapshotIndexes.forEach(snaps::add);
        dbConsistentIndex.ifPresent(i -> o.put("db_consistent_index", i));
        o.put("content_digest", contentDigest);
        o.put("entries", entries);
    }

    /** wal.json. */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        writeTo(o);
        return WalArchiveMeta.bytes(o);
    }

    public static WalFacts parse(byte[] json) {
        try {
            return from(JSON.readTree(json));
        } catch (IOException e) {
            throw new ArchiveVerificationException(WalArchiveNames.FACTS + " is not JSON: " + e.getMessage());
        }
    }

    static WalFacts from(JsonNode o) {
        try {
            List<Long> snaps = new ArrayList<>();
            o.path("snapshot_indexes").forEach(n -> snaps.add(n.asLong()));
            JsonNode hs = o.path("hard_state");
            return new WalFacts(o.has("cluster_id") ? OptionalLong.of(NodeIds.parse(o.get("cluster_id").asText()))
                    : OptionalLong.empty(),
                    NodeIds.parse(require(o, "member_id").asText()), require(o, "first_index").asLong(),
                    require(o, "last_index").asLong(), o.path("last_term").asLong(),
                    new HardState(hs.path("term").asLong(), NodeIds.parse(hs.path("vote").asText("0")),
                            hs.path("commit").asLong()),
                    snaps, o.has("db_consistent_index") ? OptionalLong.of(o.get("db_consistent_index").asLong())
                            : OptionalLong.empty(),
                    require(o, "content_digest").asText(), o.path("entries").asLong());
        } catch (IllegalArgumentException e) {
            throw new ArchiveVerificationException("the WAL archive's facts are malformed: " + e.getMessage());
        }
    }

    private static JsonNode require(JsonNode o, String field) {
        if (!o.hasNonNull(field)) {
            throw new IllegalArgumentException("no " + field);
        }
        return o.get(field);
    }
}
