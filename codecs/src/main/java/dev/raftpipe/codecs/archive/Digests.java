package dev.raftpipe.codecs.archive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 as the archive uses it: hex in SHA256SUMS, {@code sha-256=<base64>} for the whole file. */
public final class Digests {
    private Digests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** HashiCorp's Checksum() form. */
    public static String checksum(byte[] digest) {
        return "sha-256=" + Base64.getEncoder().encodeToString(digest);
    }
}
