package dev.raftpipe.codecs.bolt;

import java.util.Arrays;

/**
 * The entry a cursor stands on, as slices of the page buffer it was read into: no copy. Valid until the
 * cursor moves; {@link #copy()} keeps it.
 */
public final class BoltSlice {
    private BoltPage page;
    private int index;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private boolean bucket;

    void set(BoltPage page, int index) {
        this.page = page;
        this.index = index;
        this.keyOffset = page.keyOffset(index);
        this.keyLength = page.keyLength(index);
        this.valueOffset = page.valueOffset(index);
        this.valueLength = page.valueLength(index);
        this.bucket = page.isBucket(index);
    }

    public byte[] buffer() {
        return page.buffer();
    }

    public int keyOffset() {
        return keyOffset;
    }

    public int keyLength() {
        return keyLength;
    }

    public int valueOffset() {
        return valueOffset;
    }

    public int valueLength() {
        return valueLength;
    }

    /** The value is a nested bucket's header. */
    public boolean bucket() {
        return bucket;
    }

    /** Page and byte offset of this entry's element, for errors found in its contents. */
    public long pageId() {
        return page.id;
    }

    public long elementOffset() {
        return page.fileOffset + BoltPage.HEADER + (long) index * BoltPage.ELEMENT;
    }

    public byte[] key() {
        return Arrays.copyOfRange(page.buffer(), keyOffset, keyOffset + keyLength);
    }

    public byte[] value() {
        return Arrays.copyOfRange(page.buffer(), valueOffset, valueOffset + valueLength);
    }

    public BoltEntry copy() {
        return new BoltEntry(key(), value(), bucket);
    }
}
