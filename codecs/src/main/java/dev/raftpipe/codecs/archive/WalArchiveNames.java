package dev.raftpipe.codecs.archive;

import java.util.regex.Pattern;

/**
 * The names a WAL archive may hold, matched exactly (no other {@code /}, no {@code ..}), in their order: meta.json,
 * {@code member/snap/db}, {@code member/snap/<16 hex>-<16 hex>.snap}, {@code member/wal/<16 hex>-<16 hex>.wal},
 * SHA256SUMS, SHA256SUMS.sealed.
 */
public final class WalArchiveNames {
    public static final String META = ArchiveEntries.META;
    public static final String DB = "member/snap/db";
    public static final String SUMS = ArchiveEntries.SUMS;
    public static final String SEALED = ArchiveEntries.SEALED;
    private static final Pattern SNAP = Pattern.compile("member/snap/[0-9a-f]{16}-[0-9a-f]{16}\\.snap");
    private static final Pattern WAL = Pattern.compile("member/wal/[0-9a-f]{16}-[0-9a-f]{16}\\.wal");

    private WalArchiveNames() {
    }

    /** The rank of a name in archive order (0 meta.json … 5 SHA256SUMS.sealed); an unknown name is refused. */
    public static int rank(String name) {
        if (name.equals(META)) {
            return 0;
        }
        if (name.equals(DB)) {
            return 1;
        }
        if (SNAP.matcher(name).matches()) {
            return 2;
        }
        if (WAL.matcher(name).matches()) {
            return 3;
        }
        if (name.equals(SUMS)) {
            return 4;
        }
        if (name.equals(SEALED)) {
            return 5;
        }
        throw new ArchiveVerificationException("the WAL archive holds an unexpected entry " + ArchiveReader.printable(name));
    }

    /** Refuses a member file name the archive may not hold. */
    static void check(String name) {
        int rank = rank(name);
        if (rank == 0 || rank >= 4) {
            throw new IllegalArgumentException(name + " is not a member file");
        }
    }

    public static boolean isSegment(String name) {
        return WAL.matcher(name).matches();
    }
}
