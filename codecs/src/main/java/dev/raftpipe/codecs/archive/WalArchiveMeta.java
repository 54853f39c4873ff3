package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.raft.HardState;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A WAL archive's description ({@code "kind": "wal"}): a member's WAL (and, for a purged one, the db and .snap that
 * hold the state before it) sealed as one file. Its {@link Header} is meta.json, the archive's first entry, written
 * before any segment; its {@link WalFacts} are known only after the last segment: {@code wal.json}, after the
 * segments, in format 5 (written as the WAL is, segment by segment); inside meta.json in format 4 (packed from a
 * finished directory), which this raftpipe still reads. Older raftpipe refuses both as newer than it knows.
 */
public record WalArchiveMeta(Header header, WalFacts facts) {
    public static final int FORMAT = 5;
    /** The format whose meta.json also holds the facts. */
    public static final int FORMAT_FACTS_IN_META = 4;
    public static final String KIND = "wal";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * meta.json's part: what is known before the first file is written.
     *
     * @param sealer the seal's kind, or {@code none}
     */
    public record Header(int format, String producer, long createdMillis, String sealer, Encryption encryption) {
        public byte[] toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("raftpipe_format", format);
            o.put("kind", KIND);
            o.put("producer", producer);
            o.put("created_millis", createdMillis);
            o.put("sealer", sealer);
            if (encryption instanceof Encryption.ByName b) {
                o.put("file_compression", b.compressed() ? "gzip" : "none");
                o.putObject("encryption").put("algorithm", b.archive().algorithm())
                        .put("file_keys", Encryption.ByName.FILE_KEYS)
                        .put("chunk_bytes", b.archive().chunkBytes())
                        .put("wrapped_key", Base64.getEncoder().encodeToString(b.archive().wrappedKey()));
            } else if (!(encryption instanceof Encryption.None)) {
                throw new IllegalStateException("format " + FORMAT + " encrypts by name only");
            }
            return bytes(o);
        }
    }

    /** How the member files are encrypted (aes-gcm sealer), if they are. */
    public sealed interface Encryption {
        /** Stored as they are. */
        record None() implements Encryption {
        }

        /** Format 4: each file under a data key and nonce prefix of its own, listed in meta.json. */
        record PerFile(Map<String, StateCipher.Parameters> files, boolean compressed) implements Encryption {
            public PerFile {
                files = Map.copyOf(files);
            }
        }

        /**
         * Format 5: one wrapped data key for the archive, each file's key derived from it and the file's name
         * ({@link StateCipher.NewArchive}), so files can be added as they are written.
         *
         * @param compressed whether each file was gzip-compressed before encryption (ciphertext does not compress,
         *                   so the outer gzip layer cannot do it)
         */
        record ByName(StateCipher.Parameters archive, boolean compressed) implements Encryption {
            static final String FILE_KEYS = "hmac-sha256-of-name";
        }
    }

    public int format() {
        return header.format();
    }

    public String producer() {
        return header.producer();
    }

    public String sealer() {
        return header.sealer();
    }

    public OptionalLong clusterId() {
        return facts.clusterId();
    }

    public long memberId() {
        return facts.memberId();
    }

    public long firstIndex() {
        return facts.firstIndex();
    }

    public long lastIndex() {
        return facts.lastIndex();
    }

    public long lastTerm() {
        return facts.lastTerm();
    }

    public HardState hardState() {
        return facts.hardState();
    }

    public List<Long> snapshotIndexes() {
        return facts.snapshotIndexes();
    }

    public OptionalLong dbConsistentIndex() {
        return facts.dbConsistentIndex();
    }

    public String contentDigest() {
        return facts.contentDigest();
    }

    public long entries() {
        return facts.entries();
    }

    /** The first point in time the archive can give: its db's, or before its first entry. */
    public long baseIndex() {
        return facts.dbConsistentIndex().orElse(Math.max(0, facts.firstIndex() - 1));
    }

    /** Whether meta.json (already parsed as JSON) is a WAL archive's. */
    public static boolean isWal(JsonNode o) {
        return KIND.equals(o.path("kind").asText(""));
    }

    /** meta.json: its header, and its facts too when the archive is of format 4. */
    public record Parsed(Header header, Optional<WalFacts> facts) {
    }

    public static Parsed parse(byte[] json) {
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
        if (format < FORMAT_FACTS_IN_META) {
            throw new ArchiveVerificationException("meta.json names the WAL archive format " + format
                    + ", which no raftpipe wrote");
        }
        try {
            boolean compressed = compression(o);
            Encryption enc = new Encryption.None();
            JsonNode e = o.path("encryption");
            if (format == FORMAT_FACTS_IN_META && e.isObject()) {
                Map<String, StateCipher.Parameters> files = new LinkedHashMap<>();
                e.fields().forEachRemaining(f -> files.put(f.getKey(), parameters(f.getValue(),
                        f.getValue().path("nonce_prefix").asText())));
                enc = new Encryption.PerFile(files, compressed);
            } else if (e.isObject()) {
                if (!Encryption.ByName.FILE_KEYS.equals(e.path("file_keys").asText())) {
                    throw new IllegalArgumentException("file_keys " + e.path("file_keys"));
                }
                enc = new Encryption.ByName(parameters(e, ""), compressed);
            }
            Header header = new Header(format, o.path("producer").asText(""), o.path("created_millis").asLong(),
                    o.path("sealer").asText("none"), enc);
            return new Parsed(header, format == FORMAT_FACTS_IN_META ? Optional.of(WalFacts.from(o))
                    : Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new ArchiveVerificationException("meta.json of the WAL archive is malformed: " + e.getMessage());
        }
    }

    private static StateCipher.Parameters parameters(JsonNode p, String noncePrefix) {
        return new StateCipher.Parameters(p.path("algorithm").asText(), p.path("chunk_bytes").asInt(),
                Base64.getDecoder().decode(p.path("wrapped_key").asText()), Base64.getDecoder().decode(noncePrefix));
    }

    private static boolean compression(JsonNode o) {
        String c = o.path("file_compression").asText("none");
        if (!c.equals("none") && !c.equals("gzip")) {
            throw new IllegalArgumentException("file_compression " + c + " (gzip or none)");
        }
        return c.equals("gzip");
    }

    static byte[] bytes(ObjectNode o) {
        try {
            byte[] body = JSON.writeValueAsBytes(o);
            byte[] out = Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
