package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateRecord;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveTest {
    static final ArchiveLimits LIMITS = new ArchiveLimits(1L << 30, 200);
    static final byte[] KEY = new byte[32];

    @TempDir
    Path tmp;
    List<StateRecord> records;

    @BeforeEach
    void records() {
        records = new ArrayList<>();
        records.add(new StateRecord.Meta(417, 2, 401, 182, List.of(0xc0da02e0a64bd8afL), List.of(), "3.4.0", "normal"));
        records.add(new StateRecord.Member(0xc0da02e0a64bd8afL, "n1", List.of("http://127.0.0.1:2380"),
                List.of("http://127.0.0.1:2379"), false));
        records.add(new StateRecord.Lease(7, 60, 0));
        for (int i = 0; i < 50; i++) {
            records.add(new StateRecord.KeyValue(("/registry/k" + (1000 + i)).getBytes(StandardCharsets.UTF_8),
                    ("value-" + i).getBytes(StandardCharsets.UTF_8), i + 2, i + 2, 1, i % 2 == 0 ? 7 : 0));
        }
    }

    byte[] archive(Optional<Sealer> sealer) throws IOException {
        Path state = tmp.resolve("state.bin");
        StateCounts counts;
        try (OutputStream out = Files.newOutputStream(state); StateFileWriter w = StateFileWriter.create(out, "deflate", 6, 4096)) {
            for (StateRecord r : records) {
                w.write(r);
            }
            counts = w.counts();
        }
        ArchiveMeta meta = new ArchiveMeta(417, 2, 1_700_000_000_000L, List.of(new ArchiveMeta.Server(0xc0da02e0a64bd8afL,
                "http://127.0.0.1:2380", 0)), Files.size(state), ArchiveMeta.formatFor(counts, false), "test", 401, 182,
                counts, sealer.map(Sealer::kind).orElse("none"), "backend", java.util.Optional.empty(), java.util.OptionalLong.empty(),
                java.util.Optional.empty());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter.write(out, meta, state, Digests.hex(Digests.sha256().digest(Files.readAllBytes(state))), sealer, 0);
        return out.toByteArray();
    }

    static VerifiedArchive read(byte[] archive, Optional<Sealer> sealer, List<StateRecord> into) throws IOException {
        return ArchiveReader.read(new ByteArrayInputStream(archive), LIMITS, sealer, Optional.of(into::add));
    }

    @Test
    void recordsComeBackAsTheyWentIn() throws IOException {
        byte[] a = archive(Optional.empty());
        List<StateRecord> back = new ArrayList<>();
        VerifiedArchive v = read(a, Optional.empty(), back);
        assertEquals(records, back);
        assertEquals(new StateCounts(1, 1, 1, 50), v.counts());
        assertEquals(417, v.meta().index());
        assertEquals(2, v.meta().term());
        assertEquals("2-417-1700000000000", v.meta().id());
        assertEquals(Digests.checksum(Digests.sha256().digest(a)), v.checksum());
        assertArrayEquals(archive(Optional.empty()), a, "sealing the same records twice gives the same bytes");
    }

    @Test
    void theLayoutIsHashiCorps() throws IOException {
        byte[] a = archive(Optional.of(Sealers.hmacSha256(KEY)));
        List<String> names = new ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(new ByteArrayInputStream(a)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
                assertEquals(0600, e.getMode() & 0777);
                if (e.getName().equals("SHA256SUMS")) {
                    String sums = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(sums.matches("[0-9a-f]{64}  meta\\.json\n[0-9a-f]{64}  state\\.bin\n"), sums);
                }
            }
        }
        assertEquals(List.of("meta.json", "state.bin", "SHA256SUMS", "SHA256SUMS.sealed"), names);
    }

    @Test
    void sealsOpenOnlyWithTheirKey() throws IOException {
        byte[] other = new byte[32];
        other[0] = 1;
        for (Sealer s : List.of(Sealers.hmacSha256(KEY), Sealers.aes256Gcm(KEY))) {
            byte[] a = archive(Optional.of(s));
            assertEquals(53, read(a, Optional.of(s), new ArrayList<>()).counts().total());
            Sealer wrong = Sealers.of(s.kind(), other);
            assertThrows(ArchiveVerificationException.class, () -> read(a, Optional.of(wrong), new ArrayList<>()));
            assertThrows(ArchiveVerificationException.class, () -> read(a, Optional.empty(), new ArrayList<>()),
                    "a sealed archive needs its key");
        }
        byte[] plain = archive(Optional.empty());
        assertThrows(ArchiveVerificationException.class,
                () -> read(plain, Optional.of(Sealers.hmacSha256(KEY)), new ArrayList<>()),
                "with a key, an unsealed archive is refused (its seal may have been stripped)");
    }

    @Test
    void sealersPluggedInThroughTheSpiAreFoundByKind() throws IOException {
        Sealer xor = Sealers.of("test-xor", new byte[]{7, 1});
        assertEquals("test-xor", xor.kind());
        byte[] a = archive(Optional.of(xor));
        assertEquals(53, read(a, Optional.of(xor), new ArrayList<>()).counts().total());
        assertThrows(ArchiveVerificationException.class,
                () -> read(a, Optional.of(Sealers.of("test-xor", new byte[]{7, 2})), new ArrayList<>()));
        assertThrows(IllegalArgumentException.class, () -> Sealers.of("no-such-sealer", KEY));
    }

    @Test
    void flippingAnyByteFailsVerification() throws IOException {
        Sealer sealer = Sealers.hmacSha256(KEY);
        byte[] a = archive(Optional.of(sealer));
        Random random = new Random(1);
        for (int offset = 0; offset < a.length; offset++) {
            byte[] flipped = a.clone();
            flipped[offset] ^= (byte) (1 + random.nextInt(255));
            int at = offset;
            assertThrows(ArchiveVerificationException.class, () -> read(flipped, Optional.of(sealer), new ArrayList<>()),
                    "flip at " + at + " of " + a.length);
        }
    }

    @Test
    void truncationFailsVerification() throws IOException {
        byte[] a = archive(Optional.empty());
        for (int length = 0; length < a.length; length += Math.max(1, a.length / 300)) {
            byte[] cut = java.util.Arrays.copyOf(a, length);
            assertThrows(ArchiveVerificationException.class, () -> read(cut, Optional.empty(), new ArrayList<>()),
                    "cut at " + length);
        }
    }

    /** A tar.gz of the given entries, written as a hostile producer would. */
    static byte[] crafted(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(GzipLayer.output(out, 6))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry t = new TarArchiveEntry(e.getKey().replace("#dup", ""));
                t.setSize(e.getValue().length);
                tar.putArchiveEntry(t);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void craftedEntriesAreRefused() throws IOException {
        byte[] meta = "{}\n".getBytes(StandardCharsets.UTF_8);
        for (String name : List.of("../meta.json", "/etc/passwd", "sub/state.bin", "extra.txt")) {
            Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
            entries.put("meta.json", meta);
            entries.put(name, meta);
            ArchiveVerificationException e = assertThrows(ArchiveVerificationException.class,
                    () -> read(crafted(entries), Optional.empty(), new ArrayList<>()));
            assertTrue(e.getMessage().contains("unexpected entry"), e.getMessage());
        }
        Map<String, byte[]> dup = new java.util.LinkedHashMap<>();
        dup.put("meta.json", meta);
        dup.put("meta.json#dup", meta);
        assertTrue(assertThrows(ArchiveVerificationException.class, () -> read(crafted(dup), Optional.empty(),
                new ArrayList<>())).getMessage().contains("twice"));
        assertTrue(assertThrows(ArchiveVerificationException.class, () -> read(crafted(Map.of("meta.json", meta)),
                Optional.empty(), new ArrayList<>())).getMessage().contains("no state.bin"));
    }

    @Test
    void aDecompressionBombIsRefusedEarly() throws IOException {
        Path bomb = tmp.resolve("bomb.snap");
        try (OutputStream out = Files.newOutputStream(bomb);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(GzipLayer.output(out, 9))) {
            byte[] meta = "{}".getBytes(StandardCharsets.UTF_8); // entries come in order: meta.json first
            TarArchiveEntry m = new TarArchiveEntry("meta.json");
            m.setSize(meta.length);
            tar.putArchiveEntry(m);
            tar.write(meta);
            tar.closeArchiveEntry();
            TarArchiveEntry t = new TarArchiveEntry("state.bin");
            long size = 200L << 20;
            t.setSize(size);
            tar.putArchiveEntry(t);
            byte[] zeros = new byte[1 << 20];
            for (long n = 0; n < size; n += zeros.length) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
        }
        assertTrue(Files.size(bomb) < 1 << 20);
        try (var in = Files.newInputStream(bomb)) {
            ArchiveVerificationException e = assertThrows(ArchiveVerificationException.class,
                    () -> ArchiveReader.read(in, LIMITS, Optional.empty(), Optional.empty()));
            assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
        }
    }

    @Test
    void aNewerFormatIsRefusedClearly() {
        byte[] json = "{\"Index\":1,\"Size\":1,\"raftpipe_format\":99}".getBytes(StandardCharsets.UTF_8);
        ArchiveVerificationException e = assertThrows(ArchiveVerificationException.class, () -> ArchiveMeta.parse(json));
        assertTrue(e.getMessage().contains("newer than this raftpipe knows"), e.getMessage());
    }

    @Test
    void aSidecarFromANewerFormatIsRefused() throws IOException {
        Path sidecar = Files.writeString(tmp.resolve("x.snap.info.json"), "{\"format_version\": 99, \"checksum\": \"x\"}");
        ArchiveVerificationException e = assertThrows(ArchiveVerificationException.class, () -> ArchiveSidecar.read(sidecar));
        assertTrue(e.getMessage().contains("newer than this raftpipe knows"), e.getMessage());
        Files.writeString(sidecar, "{\"format_version\": 1, \"checksum\": \"sha-256=abc\"}");
        assertEquals("sha-256=abc", ArchiveSidecar.read(sidecar).checksum());
    }

    @Test
    void keyFilesAreRawOrHex() throws IOException {
        byte[] raw = new byte[32];
        new Random(3).nextBytes(raw);
        Path rawFile = Files.write(tmp.resolve("raw"), raw);
        Path hexFile = Files.writeString(tmp.resolve("hex"), java.util.HexFormat.of().formatHex(raw) + "\n");
        assertArrayEquals(raw, SealKey.read(rawFile));
        assertArrayEquals(raw, SealKey.read(hexFile));
        Path bad = Files.writeString(tmp.resolve("bad"), "short");
        assertThrows(IllegalArgumentException.class, () -> SealKey.read(bad));
    }
}
