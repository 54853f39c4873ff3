package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixtures;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every corruption of a WAL archive (bytes flipped, cut or appended; a segment missing, extra, or out of its chain;
 * an entry name it may not hold), with and without SHA256SUMS rewritten to match: verify and restore exit 2 with one
 * line, and nothing is restored (or exported).
 */
class WalArchiveCorruptionTest {
    @TempDir
    static Path work;
    static Path archive;
    static byte[] bytes;

    @TempDir
    Path tmp;

    /** The single fixture's WAL, cut into segments of 16 kB so the archive holds several. */
    @BeforeAll
    static void archive() throws Exception {
        Path single = EtcdFixtures.extract("single", work.resolve("fixture"));
        Path config = Files.writeString(work.resolve("small-segments.conf"), "raftpipe.wal-sink.segment-size = 16000\n");
        archive = work.resolve("wal.walsnap");
        Launcher.Result r = Launcher.inProcess("backup", "--data-dir", single.resolve("n1.etcd").toString(),
                "--archive", archive.toString(), "--config", config.toString());
        assertEquals(0, r.exit(), r.stderr());
        bytes = Files.readAllBytes(archive);
        assertTrue(segments(entries(bytes)).size() >= 4, "several segments: " + entries(bytes).keySet());
        assertRefused(null, 0, null); // the intact archive verifies and restores
    }

    @Test
    void flippedCutAndAppendedBytes() throws Exception {
        for (int at : new int[] {0, 3, 10, 100, bytes.length / 3, bytes.length / 2, bytes.length - 20, bytes.length - 5}) {
            byte[] b = bytes.clone();
            b[at] ^= 0x10;
            // deflate has more than one encoding of the same bytes: in the long run of zeros that ends the tar, a
            // back-reference's distance may change and still copy zeros. Such a flip changes nothing the archive
            // holds, and is the one kind that may pass; every other is refused.
            boolean sameContent = Arrays.equals(inflated(bytes), inflated(b));
            assertRefused(b, sameContent ? 0 : 2, "a byte flipped at " + at + (sameContent ? " (same content)" : ""));
        }
        for (int length : new int[] {0, 10, 600, bytes.length / 2, bytes.length - 8, bytes.length - 1}) {
            assertRefused(java.util.Arrays.copyOf(bytes, length), 2, "cut to " + length);
        }
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 7);
        assertRefused(longer, 2, "7 bytes appended");
    }

    @Test
    void aMissingExtraOrReorderedSegmentWithOrWithoutItsSums() throws Exception {
        Map<String, byte[]> intact = entries(bytes);
        List<String> segments = segments(intact);
        String middle = segments.get(segments.size() / 2);
        String first = segments.get(0);
        String last = segments.get(segments.size() - 1);
        Map<String, UnaryOperator<Map<String, byte[]>>> damage = new LinkedHashMap<>();
        damage.put("middle segment missing", e -> without(e, middle));
        damage.put("first segment missing", e -> without(e, first));
        damage.put("last segment missing", e -> without(e, last));
        damage.put("an extra segment", e -> with(e, String.format("member/wal/%016x-%016x.wal", segments.size(), 99999),
                e.get(middle)));
        damage.put("two segments' contents swapped", e -> {
            Map<String, byte[]> out = new LinkedHashMap<>(e);
            out.put(first, e.get(middle));
            out.put(middle, e.get(first));
            return out;
        });
        damage.put("a segment cut short", e -> with(e, last, java.util.Arrays.copyOf(e.get(last), e.get(last).length / 2)));
        damage.put("wal.json missing", e -> without(e, "wal.json"));
        damage.put("wal.json with another last index", e -> with(e, "wal.json", new String(e.get("wal.json"),
                StandardCharsets.UTF_8).replace("\"last_index\":417", "\"last_index\":416")
                .getBytes(StandardCharsets.UTF_8)));
        damage.put("wal.json with its snapshots left out", e -> with(e, "wal.json", new String(e.get("wal.json"),
                StandardCharsets.UTF_8).replaceAll("\"snapshot_indexes\":\\[[^]]*]", "\"snapshot_indexes\":[]")
                .getBytes(StandardCharsets.UTF_8)));
        for (Map.Entry<String, UnaryOperator<Map<String, byte[]>>> d : damage.entrySet()) {
            Map<String, byte[]> damaged = d.getValue().apply(intact);
            assertRefused(pack(damaged), 2, d.getKey());
            assertRefused(pack(withSums(damaged)), 2, d.getKey() + ", SHA256SUMS rewritten to match");
        }
        byte[] flipped = intact.get(middle).clone();
        flipped[flipped.length / 3] ^= 0x10;
        Path file = Files.write(Files.createTempDirectory(work, "named").resolve("flipped.walsnap"),
                pack(withSums(with(intact, middle, flipped))));
        Launcher.Result r = Launcher.inProcess("verify", file.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("(" + middle + ") at offset") && !r.stderr().contains("raftpipe-verify-"),
                "the archive's member is named, not the private file it was read from: " + r.stderr());
    }

    /** Where a state archive is expected, a WAL archive is named for what it is, with what to do with it. */
    @Test
    void aStateArchiveReaderNamesAWalArchive() throws Exception {
        Path conf = Files.writeString(tmp.resolve("restore.conf"), """
                pipeline {
                  source = { stage = archive-source, archive = "%s" }
                  sinks = [ { stage = restore-sink, backend = "%s" } ]
                }
                """.formatted(archive, tmp.resolve("never.db")));
        Launcher.Result r = Launcher.inProcess("run", conf.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("a WAL archive (backup --archive), not a state archive"), r.stderr());
        assertFalse(Files.exists(tmp.resolve("never.db")));
    }

    /** aes-gcm: each file compressed, then encrypted under its own nonce prefix; the right key only. */
    @Test
    void anEncryptedArchiveOpensWithItsKeyOnly() throws Exception {
        Path single = work.resolve("fixture/single/n1.etcd");
        Path key = Files.write(tmp.resolve("key"), new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        Path otherKey = Files.write(tmp.resolve("other"), other);
        Path sealed = tmp.resolve("sealed.walsnap");
        Launcher.Result r = Launcher.inProcess("backup", "--data-dir", single.toString(), "--archive", sealed.toString(),
                "--seal", "aes-gcm", "--key-file", key.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(Files.size(sealed) < bytes.length * 2, "compressed before it was encrypted");
        assertEquals(0, Launcher.inProcess("verify", sealed.toString(), "--key-file", key.toString()).exit());
        for (List<String> args : List.<List<String>>of(List.of(), List.of("--key-file", otherKey.toString()))) {
            List<String> all = new ArrayList<>(List.of("verify", sealed.toString()));
            all.addAll(args);
            Launcher.Result refused = Launcher.inProcess(all.toArray(String[]::new));
            assertEquals(2, refused.exit(), args + ": " + refused.stderr());
        }
        byte[] flipped = Files.readAllBytes(sealed);
        flipped[flipped.length / 2] ^= 1;
        Path damaged = Files.write(tmp.resolve("damaged.walsnap"), flipped);
        assertEquals(2, Launcher.inProcess("verify", damaged.toString(), "--key-file", key.toString()).exit());
    }

    /** Archives of format 4 (meta.json holding the facts, a key of its own per file) still verify and restore. */
    @Test
    void archivesOfFormat4StillVerifyAndRestore() throws Exception {
        Path single = work.resolve("fixture/single/n1.etcd");
        Path replayed = tmp.resolve("replayed.db");
        assertEquals(0, Launcher.inProcess("replay", "--wal-dir", single.resolve("member/wal").toString(),
                "--backend", replayed.toString()).exit());
        for (String name : List.of("format4-wal.tar.gz", "format4-wal-aes-gcm.tar.gz")) {
            Path archive = tmp.resolve(name);
            try (InputStream in = WalArchiveCorruptionTest.class.getResourceAsStream("/archives/" + name)) {
                Files.copy(in, archive);
            }
            List<String> key = List.of();
            if (name.contains("aes-gcm")) {
                Path keyFile = tmp.resolve("format4.key");
                try (InputStream in = WalArchiveCorruptionTest.class.getResourceAsStream(
                        "/archives/format4-wal-aes-gcm.key")) {
                    Files.copy(in, keyFile);
                }
                key = List.of("--seal", "aes-gcm", "--key-file", keyFile.toString());
            }
            List<String> verify = new ArrayList<>(List.of("verify", archive.toString(), "--json"));
            verify.addAll(key);
            Launcher.Result v = Launcher.inProcess(verify.toArray(String[]::new));
            assertEquals(0, v.exit(), name + ": " + v.stderr());
            assertTrue(v.stdout().contains("\"format_version\":4"), v.stdout());
            Path restored = tmp.resolve(name + ".db");
            List<String> restore = new ArrayList<>(List.of("restore", archive.toString(), "--backend",
                    restored.toString()));
            restore.addAll(key);
            Launcher.Result r = Launcher.inProcess(restore.toArray(String[]::new));
            assertEquals(0, r.exit(), name + ": " + r.stderr());
            assertEquals(BackendRows.of(replayed), BackendRows.of(restored), name);
        }
    }

    @Test
    void namesAnArchiveMayNotHold() throws Exception {
        Map<String, byte[]> intact = entries(bytes);
        byte[] some = intact.get(segments(intact).get(0));
        for (String name : List.of("member/wal/../../escape.wal", "/member/wal/0000000000000009-0000000000000009.wal",
                "member/other", "member/wal/x.wal", "member/snap/../db", "state.bin",
                "member/wal/0000000000000009-0000000000000009.walx")) {
            Map<String, byte[]> damaged = with(intact, name, some);
            assertRefused(pack(withSums(damaged)), 2, "an entry named " + name);
        }
        Map<String, byte[]> reordered = new LinkedHashMap<>();
        reordered.put("SHA256SUMS", intact.get("SHA256SUMS"));
        intact.forEach((k, v) -> reordered.putIfAbsent(k, v));
        assertRefused(pack(reordered), 2, "SHA256SUMS first");
    }

    /** verify and restore of {@code damaged} (null: the intact archive) exit {@code exit}; a refusal restores nothing. */
    private static void assertRefused(byte[] damaged, int exit, String what) throws Exception {
        Path dir = Files.createTempDirectory(work, "case");
        Path file = dir.resolve("case.walsnap");
        Files.write(file, damaged == null ? bytes : damaged);
        Launcher.Result verify = Launcher.inProcess("verify", file.toString());
        assertEquals(exit, verify.exit(), what + ": verify " + verify.stderr());
        Path backend = dir.resolve("restored.db");
        Launcher.Result restore = Launcher.inProcess("restore", file.toString(), "--backend", backend.toString());
        assertEquals(exit, restore.exit(), what + ": restore " + restore.stderr());
        Path exported = dir.resolve("exported.db");
        Launcher.Result export = Launcher.inProcess("export", file.toString(), "--etcd-snapshot", exported.toString());
        assertEquals(exit, export.exit(), what + ": export " + export.stderr());
        if (exit == 0) {
            Files.delete(exported);
            Files.delete(backend);
        }
        if (exit != 0) {
            assertEquals(1, verify.stderr().lines().count(), what + ": " + verify.stderr());
            assertFalse(Files.exists(backend) || Files.exists(exported), what + ": nothing restored or exported");
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(file), left.toList(), what + ": no scratch left");
            }
        }
    }

    /** The archive's gzip layer undone, or null where it is not whole. */
    private static byte[] inflated(byte[] archive) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(archive))) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException notWhole) {
            return null;
        }
    }

    private static Map<String, byte[]> entries(byte[] archive) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.put(e.getName(), tar.readAllBytes());
            }
        }
        return out;
    }

    private static byte[] pack(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(e.getValue().length);
                entry.setMode(0100600);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static List<String> segments(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(n -> n.startsWith("member/wal/")).toList();
    }

    private static Map<String, byte[]> without(Map<String, byte[]> entries, String name) {
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        out.remove(name);
        return out;
    }

    /** {@code name} added after the member files, before wal.json (or replaced where it is). */
    private static Map<String, byte[]> with(Map<String, byte[]> entries, String name, byte[] content) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!out.containsKey(name) && !entries.containsKey(name)
                    && (e.getKey().equals("wal.json") || e.getKey().equals("SHA256SUMS"))) {
                out.put(name, content);
            }
            out.put(e.getKey(), e.getKey().equals(name) ? content : e.getValue());
        }
        return out;
    }

    /** SHA256SUMS rewritten to list exactly the other entries, as someone without a seal could. */
    private static Map<String, byte[]> withSums(Map<String, byte[]> entries) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!e.getKey().startsWith("SHA256SUMS")) {
                lines.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.getValue())) + "  "
                        + e.getKey());
            }
        }
        lines.sort((a, b) -> a.substring(66).compareTo(b.substring(66)));
        return with(entries, "SHA256SUMS", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
