package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.VerificationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 that etcd appends when it streams a snapshot ({@code etcdctl snapshot save}). etcd tells a
 * snapshot file from a plain db by {@code size % 512 == 32}, and {@code etcdutl snapshot restore} refuses a
 * file whose trailer is not the hash of everything before it.
 */
public final class SnapshotTrailer {
    public static final int BYTES = 32;

    /** What to do about the trailer. */
    public enum Check {
        /** Check it when the size says there is one; a plain db has none. */
        AUTO,
        /** The file must be a snapshot with a valid trailer ({@code etcdutl snapshot restore}'s default). */
        REQUIRED,
        /** Do not read it ({@code --skip-hash-check}). */
        SKIP;

        /**
         * The one rule for a db file a user names by its path: a data dir's own {@code member/snap/db} has no
         * trailer; any other is an etcdctl snapshot file, whose trailer must be there and match (etcdutl's rule),
         * unless the check is skipped.
         */
        public static Check forNamedFile(Path file, boolean skipHashCheck) {
            if (skipHashCheck) {
                return SKIP;
            }
            return file.toAbsolutePath().normalize().endsWith(Path.of("member", "snap", "db")) ? AUTO : REQUIRED;
        }
    }

    /** What was found. */
    public enum Result {
        NONE, VERIFIED, SKIPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private SnapshotTrailer() {
    }

    public static boolean present(long size) {
        return size % 512 == BYTES;
    }

    public static Result check(Path file, Check check) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            boolean present = present(size);
            if (check == Check.SKIP) {
                return present ? Result.SKIPPED : Result.NONE;
            }
            if (!present) {
                if (check == Check.REQUIRED) {
                    throw new VerificationException(file + ": not an etcd snapshot file: no SHA-256 trailer (size "
                            + size + " is not 32 more than a multiple of 512); use --skip-hash-check for a plain db");
                }
                return Result.NONE;
            }
            MessageDigest sha = sha256();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long at = 0;
            long end = size - BYTES;
            while (at < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - at));
                int n = ch.read(buf, at);
                if (n < 0) {
                    throw new IOException(file + ": ended early while hashing");
                }
                buf.flip();
                sha.update(buf);
                at += n;
            }
            ByteBuffer trailer = ByteBuffer.allocate(BYTES);
            while (trailer.hasRemaining()) {
                if (ch.read(trailer, end + trailer.position()) < 0) {
                    throw new IOException(file + ": ended early while reading the trailer");
                }
            }
            byte[] want = trailer.array();
            byte[] got = sha.digest();
            if (!Arrays.equals(want, got)) {
                throw new VerificationException(file + ": snapshot SHA-256 trailer mismatch: the file says "
                        + HexFormat.of().formatHex(want) + ", its contents hash to " + HexFormat.of().formatHex(got));
            }
            return Result.VERIFIED;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
