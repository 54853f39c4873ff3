package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.NodeIds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * meta.json of a WAL archive ({@code "kind": "wal"}, raftpipe_format 4): a member's WAL (and, for a purged one, the
 * db and .snap that hold the state before it) sealed as one file. Older raftpipe refuses format 4 as newer than it
 * knows.
 *
 * @param contentDigest the entries' {@link dev.raftpipe.codecs.digest.ContentDigest} (sha-256), as stored
 * @param dbConsistentIndex the db's consistent_index when the archive holds one (the earliest point it can give)
 * @param encryption     per stored file, the parameters it was encrypted with (aes-gcm sealer); empty otherwise
 * @param compressed     whether the encrypted files were gzip-compressed before encryption (ciphertext does not
 *                       compress, so the outer gzip layer cannot do it)
 */
public record WalArchiveMeta(int format, String producer, long createdMillis, OptionalLong clusterId, long memberId,
                             long firstIndex, long lastIndex, long lastTerm, HardState hardState,
                             List<Long> snapshotIndexes, OptionalLong dbConsistentIndex, String contentDigest,
                             long entries, String sealer, Map<String, StateCipher.Parameters> encryption,
                             boolean compressed) {
    public static final int FORMAT = 4;
    public static final String KIND = "wal";
    private static final ObjectMapper JSON = new ObjectMapper();

    public WalArchiveMeta {
        snapshotIndexes = List.copyOf(snapshotIndexes);
        encryption = Map.copyOf(encryption);
    }

    /** The first point in time the archive can give: its db's, or before its first entry. */
    public long baseIndex() {
        return dbConsistentIndex.orElse(Math.max(0, firstIndex - 1));
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("raftpipe_format", format);
        o.put("kind", KIND);
        o.put("producer", producer);
        o.put("created_millis", createdMillis);
        clusterId.ifPresent(id -> o.put("cluster_id", NodeIds.hex(id)));
        o.put("member_id", NodeIds.hex(memberId));
        o.put("first_index", firstIndex);
        o.put("last_index", lastIndex);
        o.put("last_term", lastTerm);
        o.putObject("hard_state").put("term", hardState.term()).put("vote", NodeIds.hex(hardState.vote()))
                .put("commit", hardState.commit());
        snapshotIndexes.forEach(o.putArray("snapshot_indexes")::add);
        if (snapshotIndexes.isEmpty()) {
            o.putArray("snapshot_indexes");
        }
        dbConsistentIndex.ifPresent(i -> o.put("db_consistent_index", i));
        o.put("content_digest", contentDigest);
        o.put("entries", entries);
        o.put("sealer", sealer);
        if (!encryption.isEmpty()) {
            o.put("file_compression", compressed ? "gzip" : "none");
            ObjectNode enc = o.putObject("encryption");
            new java.util.TreeMap<>(encryption).forEach((name, p) -> enc.putObject(name)
                    .put("algorithm", p.algorithm()).put("chunk_bytes", p.chunkBytes())
                    .put("wrapped_key", Base64.getEncoder().encodeToString(p.wrappedKey()))
                    .put("nonce_prefix", Base64.getEncoder().encodeToString(p.noncePrefix())));
        }
        try {
            byte[] body = JSON.writeValueAsBytes(o);
            byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether meta.json (already parsed as JSON) is a WAL archive's. */
    public static boolean isWal(JsonNode o) {
        return KIND.equals(o.path("kind").asText(""));
    }

    public static WalArchiveMeta parse(byte[] json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new ArchiveVerificationException("meta.json is not JSON: " + e.getMessage());
        }
        if (!isWal(o)) {
            throw new ArchiveVerificationException("meta.json is not a WAL archive's (kind " + o.path("kind") + ")");
        }
        int format = o.path("raftpipe_format").asInt(0);
        if (format > FORMAT) {
            throw new ArchiveVerificationException("the archive's format " + format + " is newer than this raftpipe "
                    + "knows (" + FORMAT + "); use a newer raftpipe");
        }
        try {
            List<Long> snaps = new ArrayList<>();
            o.path("snapshot_indexes").forEach(n -> snaps.add(n.asLong()));
            Map<String, StateCipher.Parameters> enc = new LinkedHashMap<>();
            o.path("encryption").fields().forEachRemaining(f -> enc.put(f.getKey(), new StateCipher.Parameters(
                    f.getValue().path("algorithm").asText(), f.getValue().path("chunk_bytes").asInt(),
                    Base64.getDecoder().decode(f.getValue().path("wrapped_key").asText()),
                    Base64.getDecoder().decode(f.getValue().path("nonce_prefix").asText()))));
            JsonNode hs = o.path("hard_state");
            return new WalArchiveMeta(format, o.path("producer").asText(""), o.path("created_millis").asLong(),
                    o.has("cluster_id") ? OptionalLong.of(NodeIds.parse(o.get("cluster_id").asText()))
                            : OptionalLong.empty(),
                    NodeIds.parse(require(o, "member_id").asText()), require(o, "first_index").asLong(),
                    require(o, "last_index").asLong(), o.path("last_term").asLong(),
                    new HardState(hs.path("term").asLong(), NodeIds.parse(hs.path("vote").asText("0")),
                            hs.path("commit").asLong()),
                    snaps, o.has("db_consistent_index") ? OptionalLong.of(o.get("db_consistent_index").asLong())
                            : OptionalLong.empty(),
                    require(o, "content_digest").asText(), o.path("entries").asLong(), o.path("sealer").asText("none"),
                    enc, compression(o));
        } catch (IllegalArgumentException e) {
            throw new ArchiveVerificationException("meta.json of the WAL archive is malformed: " + e.getMessage());
        }
    }

    private static boolean compression(JsonNode o) {
        String c = o.path("file_compression").asText("none");
        if (!c.equals("none") && !c.equals("gzip")) {
            throw new IllegalArgumentException("file_compression " + c + " (gzip or none)");
        }
        return c.equals("gzip");
    }

    /** The encryption of one stored file, if the archive's files are encrypted. */
    public Optional<StateCipher.Parameters> encryptionOf(String name) {
        return Optional.ofNullable(encryption.get(name));
    }

    private static JsonNode require(JsonNode o, String field) {
        if (!o.hasNonNull(field)) {
            throw new IllegalArgumentException("no " + field);
        }
        return o.get(field);
    }
}
