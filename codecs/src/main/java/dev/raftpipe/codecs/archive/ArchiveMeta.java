package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.NodeIds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * meta.json: HashiCorp's raft snapshot metadata under its own field names (Version, ID, Index, Term,
 * Peers, Configuration, ConfigurationIndex, Size), plus raftpipe's fields beside them.
 */
public record ArchiveMeta(long index, long term, long createdMillis, List<Server> servers, long size,
                          int format, String producer, long revision, long compactRevision,
                          StateCounts counts, String sealer, String source) {
    /** What a sealed state came from: {@code backend}, {@code data-dir}, {@code etcd-snapshot} or {@code endpoint}. */
    public static final String FROM_BACKEND = "backend";
    /** The newest archive format this build reads: 2 adds etcd bucket entries (auth, alarm) to state.bin. */
    public static final int FORMAT = 2;

    /** The format an archive of these records is written in: 1 unless it holds bucket entries, which older readers lack. */
    public static int formatFor(StateCounts counts) {
        return counts.bucketEntries() > 0 ? 2 : 1;
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
        counts.putInto(o);
        return (o + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses meta.json, refusing a format newer than this build knows. */
    public static ArchiveMeta parse(byte[] json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new ArchiveVerificationException("meta.json is not JSON: " + e.getMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new ArchiveVerificationException("meta.json is not a JSON object");
        }
        int format = o.path("raftpipe_format").asInt(0);
        if (format > FORMAT) {
            throw new ArchiveVerificationException("archive format version " + format
                    + " is newer than this raftpipe knows (" + FORMAT + "); use a newer raftpipe");
        }
        if (format < 1 || !o.path("Index").canConvertToLong() || !o.path("Size").canConvertToLong()) {
            throw new ArchiveVerificationException("meta.json lacks raftpipe's fields (raftpipe_format, Index, Size)");
        }
        List<Server> servers = new java.util.ArrayList<>();
        for (JsonNode s : o.path("Configuration").path("Servers")) {
            servers.add(new Server(NodeIds.parse(s.path("ID").asText("0")), s.path("Address").asText(""),
                    s.path("Suffrage").asInt()));
        }
        return new ArchiveMeta(o.path("Index").asLong(), o.path("Term").asLong(), o.path("created_unix_ms").asLong(),
                servers, o.path("Size").asLong(), format, o.path("producer").asText(""), o.path("revision").asLong(),
                o.path("compact_revision").asLong(), StateCounts.fromJson(o.path("record_counts")),
                o.path("sealer").asText("none"), o.path("source").asText(FROM_BACKEND));
    }
}
