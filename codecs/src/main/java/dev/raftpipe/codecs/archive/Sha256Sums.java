package dev.raftpipe.codecs.archive;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SHA256SUMS file: {@code <lowercase hex>  <name>\n} per file; written sorted, read in any order. */
public final class Sha256Sums {
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  ([^\\s/]+)");
    /** A WAL archive's names have paths ({@code member/wal/…}), each then checked against the names it may hold. */
    private static final Pattern PATH_LINE = Pattern.compile("([0-9a-f]{64})  (\\S+)");

    private Sha256Sums() {
    }

    public static byte[] render(Map<String, String> hexByName) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(hexByName).forEach((name, hex) -> b.append(hex).append("  ").append(name).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Map<String, String> parse(byte[] bytes) {
        return parse(bytes, LINE);
    }

    /** SHA256SUMS of a WAL archive: names with paths, each one a name such an archive may hold. */
    public static Map<String, String> parseWithPaths(byte[] bytes) {
        Map<String, String> sums = parse(bytes, PATH_LINE);
        sums.keySet().forEach(WalArchiveNames::rank);
        return sums;
    }

    private static Map<String, String> parse(byte[] bytes, Pattern line) {
        Map<String, String> sums = new TreeMap<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw new ArchiveVerificationException("SHA256SUMS does not end with a newline");
        }
        for (String row : text.split("\n")) {
            Matcher m = line.matcher(row);
            if (!m.matches()) {
                throw new ArchiveVerificationException("SHA256SUMS holds a malformed line: " + abbreviate(row));
            }
            if (sums.put(m.group(2), m.group(1)) != null) {
                throw new ArchiveVerificationException("SHA256SUMS lists " + m.group(2) + " twice");
            }
        }
        return sums;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
