package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.NodeIds;

import dev.raftpipe.codecs.state.StateCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * meta.json: HashiCorp's raft snapshot metadata under its own field names (Version, ID, Index, Term,
 * Peers, Configuration, ConfigurationIndex, Size), plus raftpipe's fields beside them.
 */
public record ArchiveMeta(long index, long term, long createdMillis, List<Server> servers, long size,
                          int format, String producer, long revision, long compactRevision,
                          StateCounts counts, String sealer, String source,
                          Optional<StateCipher.Parameters> encryption, OptionalLong clusterId,
                          Optional<String> contentDigest) {
    /** What a sealed state came from: {@code backend}, {@code data-dir}, {@code etcd-snapshot} or {@code endpoint}. */
    public static final String FROM_BACKEND = "backend";
    /**
     * The newest archive format this build reads: 2 adds etcd bucket entries (auth, alarm) to state.bin, 3 encrypts
     * state.bin ({@code state_encryption} in meta.json).
     */
    public static final int FORMAT = 3;

    /**
     * The format an archive is written in: the oldest that holds it, so older readers keep reading what they can:
     * 3 when state.bin is encrypted, else 2 when it holds bucket entries, else 1.
     */
    public static int formatFor(StateCounts counts, boolean encrypted) {
        return encrypted ? 3 : counts.bucketEntries() > 0 ? 2 : 1;
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A raft server of the configuration; suffrage 0 voter, 1 nonvoter (an etcd learner). */
    public record Server(long id, String address, int suffrage) {
    }

    public ArchiveMeta {
        servers = List.copyOf(servers);
    }

    public String id() {
        return term + "-" + index + "-" + createdMillis;
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("Version", 1);
        o.put("ID", id());
        o.put("Index", index);
        o.put("Term", term);
        o.put("Peers", "");
        ObjectNode configuration = o.putObject("Configuration");
        var list = configuration.putArray("Servers");
        for (Server s : servers) {
            list.addObject().put("Suffrage", s.suffrage()).put("ID", NodeIds.hex(s.id()))
                    .put("Address", s.address());
        }
        o.put("ConfigurationIndex", index);
        o.put("Size", size);
        o.put("raftpipe_format", format);
        o.put("producer", producer);
        o.put("created_unix_ms", createdMillis);
        o.put("consistent_index", index);
        o.put("revision", revision);
        o.put("compact_revision", compactRevision);
        o.put("state_codec", "avro");
        o.put("sealer", sealer);
        o.put("source", source);
        clusterId.ifPresent(id -> o.put("cluster_id", NodeIds.hex(id)));
        encryption.ifPresent(e -> o.putObject("state_encryption").put("algorithm", e.algorithm())
                .put("chunk_bytes", e.chunkBytes())
                .put("wrapped_key", Base64.getEncoder().encodeToString(e.wrappedKey()))
                .put("nonce_prefix", Base64.getEncoder().encodeToString(e.noncePrefix())));
        contentDigest.ifPresent(d -> o.put("content_digest", d));
        counts.putInto(o);
        return (o + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses meta.json, refusing a format newer than this build knows. */
    /**
     * Refuses meta.json of a WAL archive where a state archive was expected, naming what to do with it (read before
     * the next entry, so the reader does not call the archive's member files unexpected); else gives the bytes back.
     */
    static byte[] refuseWalArchive(byte[] json) {
        try {
            JsonNode o = JSON.readTree(json);
            if (o != null) {
                refuseWal(o);
            }
        } catch (IOException notJson) {
            // parse() reports it with the rest
        }
        return json;
    }

    private static void refuseWal(JsonNode o) {
        if (WalArchiveMeta.isWal(o)) {
            throw new ArchiveVerificationException("a WAL archive (backup --archive), not a state archive: restore it "
                    + "(restore <file> --backend | --etcd-data-dir), or continue one with it (--wal-dir <file>)");
        }
    }

    public static ArchiveMeta parse(byte[] json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            throw new ArchiveVerificationException("meta.json is not JSON: " + oneLine(why), e);
        }
        if (o == null || !o.isObject()) {
            throw new ArchiveVerificationException("meta.json is not a JSON object");
        }
        refuseWal(o);
        int format = o.path("raftpipe_format").asInt(0);
        if (format > FORMAT) {
            throw new ArchiveVerificationException("archive format version " + format
                    + " is newer than this raftpipe knows (" + FORMAT + "); use a newer raftpipe");
        }
        if (format < 1 || !o.path("Index").canConvertToLong() || !o.path("Size").canConvertToLong()) {
            throw new ArchiveVerificationException("meta.json lacks raftpipe's fields (raftpipe_format, Index, Size)");
        }
        // fields that repeat Index in HashiCorp's layout, and its version: one meaning only
        if (o.path("Version").asLong(-1) != 1) {
            throw new ArchiveVerificationException("meta.json's Version is " + o.path("Version") + ", not 1");
        }
        for (String same : List.of("ConfigurationIndex", "consistent_index")) {
            if (o.has(same) && o.path(same).asLong(-1) != o.path("Index").asLong()) {
                throw new ArchiveVerificationException("meta.json's " + same + " " + o.path(same) + " differs from its Index "
                        + o.path("Index"));
            }
        }
        List<Server> servers = new ArrayList<>();
        for (JsonNode s : o.path("Configuration").path("Servers")) {
            long id;
            try {
                id = NodeIds.parse(s.path("ID").asText("0"));
            } catch (NumberFormatException e) {
                throw new ArchiveVerificationException("meta.json names a server whose ID is not hex: "
                        + s.path("ID").asText(""));
            }
            servers.add(new Server(id, s.path("Address").asText(""), s.path("Suffrage").asInt()));
        }
        return new ArchiveMeta(o.path("Index").asLong(), o.path("Term").asLong(), o.path("created_unix_ms").asLong(),
                servers, o.path("Size").asLong(), format, o.path("producer").asText(""), o.path("revision").asLong(),
                o.path("compact_revision").asLong(), StateCounts.fromJson(o.path("record_counts")),
                o.path("sealer").asText("none"), o.path("source").asText(FROM_BACKEND), encryption(o, format),
                clusterId(o), o.hasNonNull("content_digest") ? Optional.of(o.get("content_digest").asText())
                        : Optional.empty());
    }

    /** The etcd cluster the state came from, when its backend knew it (an etcd db or snapshot names none). */
    private static OptionalLong clusterId(JsonNode o) {
        if (!o.hasNonNull("cluster_id")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(NodeIds.parse(o.get("cluster_id").asText()));
        } catch (NumberFormatException e) {
            throw new ArchiveVerificationException("meta.json's cluster_id is not hex: " + o.get("cluster_id").asText());
        }
    }

    private static Optional<StateCipher.Parameters> encryption(JsonNode o, int format) {
        JsonNode e = o.path("state_encryption");
        if (e.isMissingNode()) {
            if (format >= 3) {
                throw new ArchiveVerificationException("meta.json of a format 3 archive lacks state_encryption");
            }
            return Optional.empty();
        }
        if (format < 3 || !e.isObject()) {
            throw new ArchiveVerificationException("meta.json's state_encryption is malformed or in a format "
                    + format + " archive");
        }
        try {
            return Optional.of(new StateCipher.Parameters(e.path("algorithm").asText(""),
                    e.path("chunk_bytes").asInt(0), Base64.getDecoder().decode(e.path("wrapped_key").asText("")),
                    Base64.getDecoder().decode(e.path("nonce_prefix").asText(""))));
        } catch (IllegalArgumentException bad) {
            throw new ArchiveVerificationException("meta.json's state_encryption is not valid base64");
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
