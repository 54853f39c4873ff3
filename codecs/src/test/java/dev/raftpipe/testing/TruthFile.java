package dev.raftpipe.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A fixture's truth*.json: what etcd itself served at the end (keys and values as latin-1 strings).
 * Rows are compared in one printable form, {@link #row}, so a mismatch shows which key differs.
 */
public record TruthFile(long revision, long raftIndex, List<String> rows) {

    public static TruthFile read(Path file) {
        try {
            JsonNode t = new ObjectMapper().readTree(file.toFile());
            List<String> rows = new ArrayList<>();
            for (JsonNode kv : t.get("kvs")) {
                rows.add(row(latin1(kv.get("key").asText()), latin1(kv.get("value").asText()),
                        kv.get("create_revision").asLong(), kv.get("mod_revision").asLong(),
                        kv.get("version").asLong(), kv.get("lease").asLong()));
            }
            rows.sort(null);
            return new TruthFile(t.get("revision").asLong(), t.at("/status/raftIndex").asLong(), List.copyOf(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One key as etcd serves it: key and value in hex, then create, mod, version, lease. */
    public static String row(byte[] key, byte[] value, long create, long mod, long version, long lease) {
        return new String(key, StandardCharsets.ISO_8859_1) + " key=" + HexFormat.of().formatHex(key)
                + " value=" + HexFormat.of().formatHex(value) + " create=" + create + " mod=" + mod
                + " version=" + version + " lease=" + lease;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
