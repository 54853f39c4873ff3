package dev.raftpipe.codecs.bolt;

import java.util.Arrays;

/**
 * A branch or leaf page held in a byte array, with every element bounds-checked against the page it was
 * read from: bbolt's pages carry no checksum, so these checks are all that stands between a damaged file
 * and a wrong read.
 */
final class BoltPage {
    static final int HEADER = 16;
    static final int ELEMENT = 16;
    static final int BRANCH = 0x01;
    static final int LEAF = 0x02;
    static final int META = 0x04;
    static final int FREELIST = 0x10;
    static final int BUCKET_LEAF_FLAG = 0x01;

    final long id;
    /** Byte offset of the page in the file (for an inline page: its parent's, for messages). */
    final long fileOffset;
    final int flags;
    final int count;
    private final byte[] buf;
    private final int base;
    private final int length;

    private BoltPage(long id, long fileOffset, byte[] buf, int base, int length) {
        this.id = id;
        this.fileOffset = fileOffset;
        this.buf = buf;
        this.base = base;
        this.length = length;
        this.flags = u16(base + 8);
        this.count = u16(base + 10);
        if (flags != BRANCH && flags != LEAF) {
            throw corrupt(8, "flags 0x" + Integer.toHexString(flags) + " where a branch (0x1) or leaf (0x2) page belongs");
        }
        if ((long) HEADER + (long) count * ELEMENT > length) {
            throw corrupt(10, count + " elements do not fit in a page of " + length + " bytes");
        }
        if (flags == BRANCH && count == 0) {
            throw corrupt(10, "a branch page with no elements");
        }
        checkPacked();
    }

    /**
     * bbolt writes a page's keys and values right after its element headers, one after another in element order
     * ({@code node.write}): a damaged count or position shows as a gap or an overlap, which would otherwise read
     * as fewer or other keys.
     */
    private void checkPacked() {
        long next = HEADER + (long) count * ELEMENT;
        for (int i = 0; i < count; i++) {
            int e = element(i);
            long at = (long) (e - base) + (flags == BRANCH ? i32(e) : i32(e + 4));
            if (at != next) {
                throw corrupt(e - base, "element " + i + "'s key is at page offset " + at + ", where bbolt puts it "
                        + "right after what comes before it (" + next + "): a damaged element or count");
            }
            long size = (long) keyLength(i) + (flags == BRANCH ? 0 : valueLength(i));
            next = at + size;
            if (keyLength(i) < 0 || size < 0 || next > length) {
                throw corrupt(e - base, "element " + i + " (" + size + " bytes at page offset " + at
                        + ") runs outside its page of " + length + " bytes");
            }
        }
    }

    /** A page of the file: {@code buf[base..base+length)} holds the page and its overflow pages. */
    static BoltPage of(long id, long fileOffset, byte[] buf, int base, int length) {
        return new BoltPage(id, fileOffset, buf, base, length);
    }

    boolean isBranch() {
        return flags == BRANCH;
    }

    byte[] buffer() {
        return buf;
    }

    /** Where element {@code i}'s key starts in {@link #buffer()}, checked to lie inside the page. */
    int keyOffset(int i) {
        int e = element(i);
        return checked(e, e + (isBranch() ? i32(e) : i32(e + 4)), keyLength(i), "key");
    }

    int keyLength(int i) {
        int e = element(i);
        return isBranch() ? i32(e + 4) : i32(e + 8);
    }

    /** Where leaf element {@code i}'s value starts in {@link #buffer()}, checked to lie inside the page. */
    int valueOffset(int i) {
        int e = element(i);
        long at = (long) e + i32(e + 4) + i32(e + 8);
        if (i32(e + 8) < 0 || at > Integer.MAX_VALUE || at < Integer.MIN_VALUE) {
            throw corrupt(e - base, "element " + i + " points outside its page");
        }
        return checked(e, (int) at, valueLength(i), "value");
    }

    int valueLength(int i) {
        return i32(element(i) + 12);
    }

    byte[] key(int i) {
        int from = keyOffset(i);
        return Arrays.copyOfRange(buf, from, from + keyLength(i));
    }

    long child(int i) {
        return BoltBytes.u64(buf, element(i) + 8);
    }

    boolean isBucket(int i) {
        int f = i32(element(i));
        if ((f & ~BUCKET_LEAF_FLAG) != 0) {
            throw corrupt(element(i) - base, "unknown leaf element flags 0x" + Integer.toHexString(f));
        }
        return f == BUCKET_LEAF_FLAG;
    }

    BoltCorruptedException corrupt(int offsetInPage, String reason) {
        return new BoltCorruptedException(id, fileOffset + offsetInPage, reason);
    }

    private int element(int i) {
        return base + HEADER + i * ELEMENT;
    }

    private int checked(int element, int from, int size, String what) {
        long end = (long) from + size;
        if (size < 0 || from < element || end > base + (long) length) {
            throw corrupt(element - base, "element " + (element - base - HEADER) / ELEMENT + "'s " + what
                    + " (" + size + " bytes at page offset " + ((long) from - base) + ") runs outside its page of "
                    + length + " bytes");
        }
        return from;
    }

    private int u16(int at) {
        return (buf[at] & 0xff) | (buf[at + 1] & 0xff) << 8;
    }

    private int i32(int at) {
        return BoltBytes.i32(buf, at);
    }
}
