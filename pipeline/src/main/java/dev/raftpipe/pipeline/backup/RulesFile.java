package dev.raftpipe.pipeline.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A redaction rules file: one rule a line, {@code redact <prefix>} or {@code mask <prefix>}; '#' comments. */
public record RulesFile(List<byte[]> redact, List<byte[]> mask) {

    public RulesFile {
        redact = List.copyOf(redact);
        mask = List.copyOf(mask);
    }

    /** Throws IllegalArgumentException naming file and line for a rule it cannot read. */
    public static RulesFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "rules file not found");
        }
        List<byte[]> redact = new ArrayList<>();
        List<byte[]> mask = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String rule = line.strip();
            if (rule.isEmpty() || rule.startsWith("#")) {
                continue;
            }
            String[] parts = rule.split("\\s+", 2);
            if (parts.length != 2 || !(parts[0].equals("redact") || parts[0].equals("mask"))) {
                throw new IllegalArgumentException(file + ":" + n + ": expected 'redact <prefix>' or 'mask <prefix>', found '"
                        + rule + "'");
            }
            (parts[0].equals("redact") ? redact : mask).add(prefix(parts[1]));
        }
        return new RulesFile(redact, mask);
    }

    /** A prefix as bytes; an empty one is refused, it would match every key. */
    public static byte[] prefix(String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("an empty prefix would match every key");
        }
        return prefix.getBytes(StandardCharsets.UTF_8);
    }
}
