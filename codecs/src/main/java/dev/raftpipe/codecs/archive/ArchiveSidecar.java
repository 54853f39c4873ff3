package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.state.StateCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <archive>.info.json}: what an archive holds, readable without opening it (format version,
 * producer, index, term, revision, digest, sizes, counts, seal kind).
 */
public record ArchiveSidecar(int formatVersion, String checksum, StateCounts counts) {

    public static Path of(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".info.json");
    }

    public static byte[] render(ArchiveMeta m, String checksum, long archiveBytes) {
        return (fields(m, checksum, archiveBytes).toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The sidecar's fields, also the core of the launcher's archive reports. */
    public static ObjectNode fields(ArchiveMeta m, String checksum, long archiveBytes) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("format_version", m.format());
        o.put("producer", m.producer());
        o.put("id", m.id());
        o.put("index", m.index());
        o.put("term", m.term());
        o.put("revision", m.revision());
        o.put("compact_revision", m.compactRevision());
        o.put("checksum", checksum);
        o.put("archive_bytes", archiveBytes);
        o.put("state_bytes", m.size());
        m.counts().putInto(o);
        o.put("sealer", m.sealer());
        m.encryption().ifPresent(e -> o.put("encryption", e.algorithm()));
        m.clusterId().ifPresent(id -> o.put("cluster_id", NodeIds.hex(id)));
        o.put("source", m.source());
        return o;
    }

    /** Reads a sidecar, refusing one that announces a format newer than this build knows. */
    public static ArchiveSidecar read(Path sidecar) throws IOException {
        JsonNode info;
        try {
            info = new ObjectMapper().readTree(Files.readAllBytes(sidecar));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ArchiveVerificationException(sidecar + ": not the JSON raftpipe writes beside an archive ("
                    + e.getOriginalMessage() + ")");
        }
        if (info == null || !info.isObject() || !info.path("checksum").isTextual()) {
            throw new ArchiveVerificationException(sidecar + ": not the JSON raftpipe writes beside an archive "
                    + "(no checksum)");
        }
        int format = info.path("format_version").asInt(0);
        if (format > ArchiveMeta.FORMAT) {
            throw new ArchiveVerificationException(sidecar + ": archive format version " + format
                    + " is newer than this raftpipe knows (" + ArchiveMeta.FORMAT + "); use a newer raftpipe");
        }
        return new ArchiveSidecar(format, info.path("checksum").asText(""), StateCounts.fromJson(info.path("record_counts")));
    }

    /**
     * The one verdict on a sidecar, for every command that reads an archive: if there is one, it must be readable and
     * name the digest the archive has.
     */
    public static void check(Path archive, String archiveChecksum) throws IOException {
        Path sidecar = of(archive);
        if (!Files.exists(sidecar)) {
            return;
        }
        String recorded = read(sidecar).checksum();
        if (!recorded.equals(archiveChecksum)) {
            throw new ArchiveVerificationException(sidecar + " records digest " + recorded + " but the archive's is "
                    + archiveChecksum);
        }
    }
}
