package dev.raftpipe.codecs.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/** A key file: 32 random bytes, raw or as 64 hex characters (a trailing newline is fine). */
public final class SealKey {
    private SealKey() {
    }

    /** A key written as 64 hex characters (a setting rather than a file). */
    public static byte[] fromHex(String text) {
        if (!isHexKey(text)) {
            throw new IllegalArgumentException("expected a key of 32 bytes as 64 hex characters");
        }
        return HexFormat.of().parseHex(text.toLowerCase(Locale.ROOT));
    }

    private static boolean isHexKey(String text) {
        return text.length() == 64 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    public static byte[] read(Path file) throws IOException {
        if (Files.size(file) > 1024) {
            throw new IllegalArgumentException(file + " is not a key file: expected 32 bytes or 64 hex characters");
        }
        byte[] raw = Files.readAllBytes(file);
        if (raw.length == 32) {
            return raw;
        }
        String text = new String(raw, StandardCharsets.US_ASCII).strip();
        if (isHexKey(text)) {
            return HexFormat.of().parseHex(text.toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(file + " is not a key file: expected 32 bytes or 64 hex characters, found "
                + raw.length + " bytes (make one with: head -c 32 /dev/urandom > key)");
    }
}
