package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --seal aes-gcm} encrypts the data itself: with state.bin's Avro codec {@code null} (nothing hidden by
 * compression), no 12-byte run of any stored value appears anywhere in the archive, while an {@code hmac} archive
 * of the same backend shows them (so the search works). Chunks moved, dropped or spliced from another archive, and
 * a wrong key, are refused with exit 2; an archive of the previous format (2, only the sums encrypted) still verifies
 * and restores.
 */
class EncryptedArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUN = 12;

    @EtcdFixture("single")
    static Path single;

    @TempDir
    Path tmp;

    @Test
    void anAesGcmArchiveHoldsNoRunOfAnyStoredValue() throws Exception {
        Path backend = replayed();
        Path key = Files.writeString(tmp.resolve("key"), HexFormat.of().formatHex(new byte[32]).replace('0', '7'));
        Path conf = Files.writeString(tmp.resolve("plain.conf"), "raftpipe.archive.codec = \"null\"\n");
        List<byte[]> values = storedValues(backend);
        assertTrue(values.size() > 100, "the fixture holds values of at least " + RUN + " bytes");

        Path hmac = seal(backend, "hmac", key, conf, "hmac.snap");
        assertTrue(leaked(unpacked(hmac), values) > 0, "an hmac archive keeps values readable: the search finds them");

        Path gcm = seal(backend, "aes-gcm", key, conf, "gcm.snap");
        assertEquals(0, leaked(unpacked(gcm), values), "no stored value in the encrypted archive");
        JsonNode meta = JSON.readTree(entries(gcm).get("meta.json"));
        assertEquals(3, meta.get("raftpipe_format").asInt());
        assertEquals("aes-256-gcm-stream", meta.at("/state_encryption/algorithm").asText());

        Path restored = tmp.resolve("restored.db");
        Launcher.Result r = Launcher.run(tmp, "restore", gcm.toString(), "--backend", restored.toString(),
                "--key-file", key.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(BackendRows.of(backend), BackendRows.of(restored));
    }

    @Test
    void tamperingAndAWrongKeyAreRefused() throws Exception {
        Path backend = replayed();
        Path key = Files.writeString(tmp.resolve("key"), HexFormat.of().formatHex(new byte[32]).replace('0', '5'));
        Path otherKey = Files.writeString(tmp.resolve("other.key"), HexFormat.of().formatHex(new byte[32]).replace('0', '6'));
        Path conf = Files.writeString(tmp.resolve("small-chunks.conf"),
                "raftpipe.archive.codec = \"null\"\nraftpipe.archive.encryption-chunk-size = 4KiB\n");
        Path a = seal(backend, "aes-gcm", key, conf, "a.snap");
        Path b = seal(backend, "aes-gcm", key, conf, "b.snap");
        byte[] state = entries(a).get("state.bin");
        int chunk = 4096 + 16;
        assertTrue(state.length > 4 * chunk, "several chunks: " + state.length);

        assertRefused(a, otherKey, "wrong key");
        Launcher.Result kind = Launcher.inProcess("verify", a.toString(), "--key-file", key.toString(), "--seal", "hmac");
        assertEquals(2, kind.exit(), kind.stderr());
        assertTrue(kind.stderr().strip().endsWith("the archive is sealed with aes-256-gcm, not hmac-sha256 (--seal hmac)"),
                kind.stderr());
        Map<String, byte[]> variants = new LinkedHashMap<>();
        byte[] flipped = state.clone();
        flipped[chunk + 100] ^= 0x01;
        variants.put("a flipped bit", flipped);
        variants.put("two chunks swapped", concat(slice(state, chunk, 2 * chunk), slice(state, 0, chunk),
                slice(state, 2 * chunk, state.length)));
        variants.put("a chunk dropped", concat(slice(state, 0, chunk), slice(state, 2 * chunk, state.length)));
        variants.put("a chunk repeated", concat(slice(state, 0, 2 * chunk), slice(state, chunk, state.length)));
        variants.put("cut at a chunk boundary", slice(state, 0, 3 * chunk));
        variants.put("cut inside a chunk", slice(state, 0, 3 * chunk + 7));
        byte[] other = entries(b).get("state.bin");
        variants.put("a chunk from another archive", concat(slice(state, 0, chunk), slice(other, chunk, 2 * chunk),
                slice(state, 2 * chunk, state.length)));
        variants.put("another archive's state.bin", other);
        for (Map.Entry<String, byte[]> v : variants.entrySet()) {
            // the sums are recomputed, as an attacker would; the seal cannot be, so it is copied unchanged
            Path tampered = repacked(a, v.getValue(), tmp.resolve("tampered.snap"));
            assertRefused(tampered, key, v.getKey());
        }
    }

    @Test
    void anArchiveOfTheFormerFormatStillVerifiesAndRestores() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("old"));
        for (String name : List.of("format2-aes-gcm.snap", "format2-aes-gcm.snap.info.json", "format2-aes-gcm.key")) {
            try (InputStream in = getClass().getResourceAsStream("/archives/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        Path archive = dir.resolve("format2-aes-gcm.snap");
        Path key = dir.resolve("format2-aes-gcm.key");
        Launcher.Result v = Launcher.run(tmp, "verify", archive.toString(), "--key-file", key.toString());
        assertEquals(0, v.exit(), v.stderr());
        Path restored = tmp.resolve("old.db");
        Launcher.Result r = Launcher.run(tmp, "restore", archive.toString(), "--backend", restored.toString(),
                "--key-file", key.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(BackendRows.of(replayed()), BackendRows.of(restored));
    }

    private void assertRefused(Path archive, Path key, String what) throws Exception {
        for (String command : List.of("verify", "restore")) {
            Path backend = tmp.resolve("refused.db");
            Launcher.Result r = command.equals("verify")
                    ? Launcher.inProcess("verify", archive.toString(), "--key-file", key.toString())
                    : Launcher.inProcess("restore", archive.toString(), "--backend", backend.toString(), "--key-file",
                    key.toString());
            assertEquals(2, r.exit(), what + ", " + command + ": " + r.stderr());
            assertEquals(1, r.stderr().strip().lines().count(), what + ": " + r.stderr());
            assertFalse(r.stderr().contains("gzip header"), what + ": caught by the layers it tests: " + r.stderr());
            assertFalse(Files.exists(backend), what + ": nothing restored");
        }
    }

    private Path replayed() throws Exception {
        Path backend = tmp.resolve("source-" + System.nanoTime() + ".db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", backend.toString());
        assertEquals(0, r.exit(), r.stderr());
        return backend;
    }

    private Path seal(Path backend, String kind, Path key, Path conf, String name) throws Exception {
        Path out = tmp.resolve(name);
        Launcher.Result r = Launcher.run(tmp, "seal", "--backend", backend.toString(), "--out", out.toString(),
                "--seal", kind, "--key-file", key.toString(), "--config", conf.toString());
        assertEquals(0, r.exit(), r.stderr());
        return out;
    }

    private static List<byte[]> storedValues(Path backend) {
        List<byte[]> values = new ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            s.forEachKeyValue(kv -> {
                if (kv.value().length >= RUN) {
                    values.add(kv.value());
                }
            });
        }
        return values;
    }

    /** How many values have a run of {@code RUN} bytes somewhere in {@code haystack}. */
    private static int leaked(byte[] haystack, List<byte[]> values) {
        String hay = new String(haystack, StandardCharsets.ISO_8859_1);
        int found = 0;
        for (byte[] v : values) {
            String value = new String(v, StandardCharsets.ISO_8859_1);
            for (int i = 0; i + RUN <= value.length(); i++) {
                if (hay.contains(value.substring(i, i + RUN))) {
                    found++;
                    break;
                }
            }
        }
        return found;
    }

    /** The archive's bytes with the gzip layer removed: every tar header and entry as stored. */
    private static byte[] unpacked(Path archive) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            return in.readAllBytes();
        }
    }

    private static Map<String, byte[]> entries(Path archive) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.put(e.getName(), tar.readAllBytes());
            }
        }
        return out;
    }

    /** The archive with another state.bin, meta.json's Size and SHA256SUMS made to match it. */
    private static Path repacked(Path archive, byte[] state, Path out) throws Exception {
        Map<String, byte[]> e = new LinkedHashMap<>(entries(archive));
        e.put("state.bin", state);
        return ArchiveSurgery.pack(ArchiveSurgery.withMeta(e, meta -> meta.put("Size", state.length)), out);
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, Math.min(to, b.length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
