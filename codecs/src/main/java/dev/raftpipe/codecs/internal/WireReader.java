package dev.raftpipe.codecs.internal;

import dev.raftpipe.codecs.MalformedMessageException;

/**
 * Reads protobuf wire format from a slice of a byte array without copying. Used for the two
 * messages on the WAL's hot path (walpb.Record and raftpb.Entry); everything else goes through
 * generated code.
 */
public final class WireReader {
    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LENGTH_DELIMITED = 2;
    public static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int limit;

    public WireReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public boolean atEnd() {
        return pos >= limit;
    }

    public int position() {
        return pos;
    }

    /** Reads a field tag; returns it whole (field number in the high bits, wire type in the low 3). */
    public int readTag() throws MalformedMessageException {
        long tag = readVarint();
        if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
            throw new MalformedMessageException("invalid field tag " + tag);
        }
        return (int) tag;
    }

    public long readVarint() throws MalformedMessageException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw new MalformedMessageException("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedMessageException("varint overflows 64 bits");
    }

    /** Reads a length prefix and returns the start of the bytes; {@link #position()} moves past them. */
    public int readLengthDelimited(int[] lengthOut) throws MalformedMessageException {
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw new MalformedMessageException("length " + len + " runs past the end of the message");
        }
        int start = pos;
        pos += (int) len;
        lengthOut[0] = (int) len;
        return start;
    }

    public void skipField(int tag) throws MalformedMessageException {
        switch (tag & 7) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> readLengthDelimited(new int[1]);
            case FIXED32 -> advance(4);
            default -> throw new MalformedMessageException("unsupported wire type " + (tag & 7)
                    + " for field " + (tag >>> 3));
        }
    }

    public void expectWireType(int tag, int wireType) throws MalformedMessageException {
        if ((tag & 7) != wireType) {
            throw new MalformedMessageException("wrong wire type " + (tag & 7) + " for field " + (tag >>> 3));
        }
    }

    private void advance(int n) throws MalformedMessageException {
        if (n > limit - pos) {
            throw new MalformedMessageException("truncated fixed-width field");
        }
        pos += n;
    }
}
