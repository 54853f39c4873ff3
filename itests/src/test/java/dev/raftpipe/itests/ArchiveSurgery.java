package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;

/**
 * Takes an archive apart and puts an altered one together as an attacker would: the entries changed, SHA256SUMS
 * recomputed, and the gzip header raftpipe writes (so the only thing left to catch the change is what raftpipe
 * checks beyond the layers: the seal, meta.json against state.bin, the entry order).
 */
final class ArchiveSurgery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private ArchiveSurgery() {
    }

    /** The entries in archive order. */
    static Map<String, byte[]> entries(Path archive) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.put(e.getName(), tar.readAllBytes());
            }
        }
        return out;
    }

    /** meta.json edited, then SHA256SUMS recomputed. */
    static Map<String, byte[]> withMeta(Map<String, byte[]> entries, Consumer<ObjectNode> edit) throws Exception {
        Map<String, byte[]> e = new LinkedHashMap<>(entries);
        ObjectNode meta = (ObjectNode) JSON.readTree(e.get("meta.json"));
        edit.accept(meta);
        e.put("meta.json", (meta + "\n").getBytes(StandardCharsets.UTF_8));
        return resummed(e);
    }

    /** SHA256SUMS made to match meta.json and state.bin as they are now. */
    static Map<String, byte[]> resummed(Map<String, byte[]> entries) throws Exception {
        Map<String, byte[]> e = new LinkedHashMap<>(entries);
        Map<String, String> sums = new TreeMap<>();
        for (String name : new String[] {"meta.json", "state.bin"}) {
            sums.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.get(name))));
        }
        StringBuilder b = new StringBuilder();
        sums.forEach((name, hex) -> b.append(hex).append("  ").append(name).append('\n'));
        e.put("SHA256SUMS", b.toString().getBytes(StandardCharsets.UTF_8));
        return e;
    }

    /** The entries, in the map's order, as a tar in raftpipe's gzip layer. */
    static Path pack(Map<String, byte[]> entries, Path out) throws Exception {
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes, 512)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                TarArchiveEntry t = new TarArchiveEntry(entry.getKey());
                t.setSize(entry.getValue().length);
                t.setMode(0100600);
                tar.putArchiveEntry(t);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        byte[] raw = tarBytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(raw);
        try (OutputStream file = Files.newOutputStream(out)) {
            file.write(HEADER);
            Deflater deflater = new Deflater(0, true);
            DeflaterOutputStream body = new DeflaterOutputStream(new java.io.FilterOutputStream(file) {
                @Override
                public void close() {
                    // the trailer follows
                }
            }, deflater);
            body.write(raw);
            body.finish();
            deflater.end();
            long c = crc.getValue();
            long n = raw.length;
            file.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                    (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
        }
        return out;
    }
}
