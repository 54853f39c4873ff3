package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archives that used to pass: bytes after the gzip trailer, meta.json fields that disagree with state.bin (sums
 * recomputed), a sealer name the archive made up, entries in another order, a state.bin that fails both its sum
 * and decoding, a sidecar that is not JSON or names another digest. Each is exit 2 with one line, from verify and
 * restore alike, and nothing is restored.
 */
class ArchiveCorruptionTest {
    @TempDir
    static Path fixtures;
    static Path backend;

    @TempDir
    Path tmp;

    @BeforeAll
    static void replay() throws Exception {
        Path single = EtcdFixtures.extract("single", fixtures);
        backend = fixtures.resolve("source.db");
        Launcher.Result r = Launcher.run(fixtures, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", backend.toString());
        assertEquals(0, r.exit(), r.stderr());
    }

    @Test
    void bytesAfterTheGzipTrailerAreRefusedForEverySeal() throws Exception {
        Path key = Files.writeString(tmp.resolve("key"), "2e".repeat(32));
        for (String seal : List.of("none", "hmac", "aes-gcm")) {
            Path archive = seal(seal, key);
            List<String> keyArgs = seal.equals("none") ? List.of() : List.of("--key-file", key.toString());
            Map<String, byte[]> tails = new LinkedHashMap<>();
            tails.put("a zero byte", new byte[1]);
            tails.put("junk", "junk\n".getBytes());
            tails.put("512 zeros", new byte[512]);
            java.io.ByteArrayOutputStream second = new java.io.ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(second)) {
                gz.write("a second member".getBytes());
            }
            tails.put("a second gzip member", second.toByteArray());
            for (Map.Entry<String, byte[]> t : tails.entrySet()) {
                Path altered = Files.copy(archive, tmp.resolve("appended.snap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.write(altered, t.getValue(), StandardOpenOption.APPEND);
                assertRefused(altered, keyArgs, seal + ", " + t.getKey(), "after its gzip trailer");
            }
        }
    }

    @Test
    void metaJsonMustAgreeWithStateBinAndNameTheSealItHas() throws Exception {
        Path archive = seal("none", null);
        Map<String, byte[]> entries = ArchiveSurgery.entries(archive);
        Launcher.Result same = Launcher.run(tmp, "verify", ArchiveSurgery.pack(entries, tmp.resolve("same.snap")).toString());
        assertEquals(0, same.exit(), "the surgery itself makes archives raftpipe accepts: " + same.stderr());

        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("Index", m -> m.put("Index", m.get("Index").asLong() + 1));
        edits.put("Term", m -> m.put("Term", m.get("Term").asLong() + 1));
        edits.put("revision", m -> m.put("revision", m.get("revision").asLong() + 1));
        edits.put("compact_revision", m -> m.put("compact_revision", m.get("compact_revision").asLong() - 1));
        edits.put("consistent_index", m -> m.put("consistent_index", m.get("consistent_index").asLong() + 1));
        edits.put("ConfigurationIndex", m -> m.put("ConfigurationIndex", m.get("ConfigurationIndex").asLong() - 1));
        edits.put("Version", m -> m.put("Version", 2));
        edits.put("Configuration", m -> ((ObjectNode) m.at("/Configuration/Servers/0")).put("ID", "1234"));
        edits.put("sealer", m -> m.put("sealer", "xyz"));
        for (Map.Entry<String, Consumer<ObjectNode>> e : edits.entrySet()) {
            Path altered = ArchiveSurgery.pack(ArchiveSurgery.withMeta(entries, e.getValue()), tmp.resolve("meta.snap"));
            assertRefused(altered, List.of(), "meta.json " + e.getKey(), "");
        }
        Path key = Files.writeString(tmp.resolve("key"), "3c".repeat(32));
        Path madeUp = ArchiveSurgery.pack(ArchiveSurgery.withMeta(ArchiveSurgery.entries(seal("hmac", key)),
                m -> m.put("sealer", "xyz")), tmp.resolve("made-up.snap"));
        assertRefused(madeUp, List.of("--key-file", key.toString()), "a made-up sealer with a key", "");
    }

    @Test
    void entriesInAnotherOrderAreRefusedSealedOrNot() throws Exception {
        Path key = Files.writeString(tmp.resolve("key"), "4d".repeat(32));
        for (String seal : List.of("none", "hmac")) {
            Map<String, byte[]> entries = ArchiveSurgery.entries(seal(seal, key));
            List<String> names = new ArrayList<>(entries.keySet());
            List<List<String>> orders = List.of(
                    List.of(names.get(1), names.get(0), names.get(2)),
                    List.of(names.get(0), names.get(2), names.get(1)));
            for (List<String> order : orders) {
                Map<String, byte[]> reordered = new LinkedHashMap<>();
                order.forEach(n -> reordered.put(n, entries.get(n)));
                names.stream().skip(3).forEach(n -> reordered.put(n, entries.get(n)));
                List<String> keyArgs = seal.equals("none") ? List.of() : List.of("--key-file", key.toString());
                assertRefused(ArchiveSurgery.pack(reordered, tmp.resolve("order.snap")), keyArgs, seal + " " + order, "");
            }
        }
    }

    @Test
    void aStateBinThatFailsItsSumIsReportedAsSuchNotAsADecodeError() throws Exception {
        Map<String, byte[]> entries = ArchiveSurgery.entries(seal("none", null));
        byte[] state = entries.get("state.bin").clone();
        for (int i = 100; i < 140; i++) {
            state[i] ^= 0x5a;
        }
        entries.put("state.bin", state);
        assertRefused(ArchiveSurgery.pack(entries, tmp.resolve("flipped.snap")), List.of(), "flipped state.bin",
                "SHA-256 mismatch for state.bin");
    }

    @Test
    void theSidecarGetsOneReadingAndOneVerdict() throws Exception {
        Path archive = seal("none", null);
        Path sidecar = Path.of(archive + ".info.json");
        Files.writeString(sidecar, "{ not json");
        assertRefused(archive, List.of(), "a sidecar that is not JSON", sidecar.toString());
        seal("none", null);
        String text = Files.readString(sidecar).replaceAll("\"sha-256=[^\"]+\"", "\"sha-256=AAAA\"");
        Files.writeString(sidecar, text);
        assertRefused(archive, List.of(), "a sidecar naming another digest", sidecar.toString());
    }

    private Path seal(String seal, Path key) throws Exception {
        Path out = tmp.resolve(seal + ".snap");
        Files.deleteIfExists(out);
        Files.deleteIfExists(Path.of(out + ".info.json"));
        List<String> args = new ArrayList<>(List.of("seal", "--backend", backend.toString(), "--out", out.toString()));
        if (!seal.equals("none")) {
            args.addAll(List.of("--seal", seal, "--key-file", key.toString()));
        }
        Launcher.Result r = Launcher.run(tmp, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stderr());
        return out;
    }

    private void assertRefused(Path archive, List<String> keyArgs, String what, String expected) throws Exception {
        Path restored = tmp.resolve("restored.db");
        List<String> verify = new ArrayList<>(List.of("verify", archive.toString()));
        verify.addAll(keyArgs);
        List<String> restore = new ArrayList<>(List.of("restore", archive.toString(), "--backend", restored.toString()));
        restore.addAll(keyArgs);
        for (List<String> command : List.of(verify, restore)) {
            Launcher.Result r = Launcher.inProcess(command.toArray(String[]::new));
            assertEquals(2, r.exit(), what + ", " + command.get(0) + ": " + r.stderr());
            assertEquals(1, r.stderr().strip().lines().count(), what + ": " + r.stderr());
            assertTrue(r.stderr().contains(expected), what + ": " + r.stderr());
            assertFalse(r.stderr().contains("gzip header"), what + ": the surgery must not be what is caught: " + r.stderr());
        }
        assertFalse(Files.exists(restored), what + ": nothing restored");
    }
}
