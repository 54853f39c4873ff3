package dev.raftpipe.codecs.archive;

import java.util.regex.Pattern;

/**
 * The names a WAL archive may hold, matched exactly (no other {@code /}, no {@code ..}), in their order: meta.json,
 * {@code member/snap/db}, {@code member/snap/<16 hex>-<16 hex>.snap}, {@code member/wal/<16 hex>-<16 hex>.wal},
 * wal.json (format 5), SHA256SUMS, SHA256SUMS.sealed.
 */
public final class WalArchiveNames {
    public static final String META = ArchiveEntries.META;
    public static final String DB = "member/snap/db";
    public static final String FACTS = "wal.json";
    public static final String SUMS = ArchiveEntries.SUMS;
    public static final String SEALED = ArchiveEntries.SEALED;
    static final int RANK_DB = 1;
    static final int RANK_SNAP = 2;
    static final int RANK_SEGMENT = 3;
    static final int RANK_FACTS = 4;
    static final int RANK_SUMS = 5;
    static final int RANK_SEALED = 6;
    private static final Pattern SNAP = Pattern.compile("member/snap/[0-9a-f]{16}-[0-9a-f]{16}\\.snap");
    private static final Pattern WAL = Pattern.compile("member/wal/[0-9a-f]{16}-[0-9a-f]{16}\\.wal");

    private WalArchiveNames() {
    }

    /** The rank of a name in archive order (0 meta.json … 6 SHA256SUMS.sealed); an unknown name is refused. */
    public static int rank(String name) {
        if (name.equals(META)) {
            return 0;
        }
        if (name.equals(DB)) {
            return RANK_DB;
        }
        if (SNAP.matcher(name).matches()) {
            return RANK_SNAP;
        }
        if (WAL.matcher(name).matches()) {
            return RANK_SEGMENT;
        }
        if (name.equals(FACTS)) {
            return RANK_FACTS;
        }
        if (name.equals(SUMS)) {
            return RANK_SUMS;
        }
        if (name.equals(SEALED)) {
            return RANK_SEALED;
        }
        throw new ArchiveVerificationException("the WAL archive holds an unexpected entry " + ArchiveReader.printable(name));
    }

    /** Whether a name is a member file (the db, a .snap, a segment) rather than one of the archive's small files. */
    static boolean isMemberFile(int rank) {
        return rank >= RANK_DB && rank <= RANK_SEGMENT;
    }

    public static boolean isSegment(String name) {
        return WAL.matcher(name).matches();
    }
}
