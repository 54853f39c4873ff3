package dev.raftpipe.codecs.internal;

/** Writes protobuf wire format into a byte array sized up front with {@link #varintSize(long)}. */
public final class WireWriter {
    private final byte[] buf;
    private int pos;

    public WireWriter(byte[] buf) {
        this.buf = buf;
    }

    public static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Size of a varint field (one-byte tag, fields 1 to 15). */
    public static int varintFieldSize(long value) {
        return 1 + varintSize(value);
    }

    /** Size of a bytes field (one-byte tag, fields 1 to 15). */
    public static int bytesFieldSize(int length) {
        return 1 + varintSize(length) + length;
    }

    public WireWriter varintField(int field, long value) {
        buf[pos++] = (byte) (field << 3 | WireReader.VARINT);
        return varint(value);
    }

    public WireWriter bytesField(int field, byte[] value) {
        buf[pos++] = (byte) (field << 3 | WireReader.LENGTH_DELIMITED);
        varint(value.length);
        System.arraycopy(value, 0, buf, pos, value.length);
        pos += value.length;
        return this;
    }

    public int position() {
        return pos;
    }

    private WireWriter varint(long value) {
        while ((value & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[pos++] = (byte) value;
        return this;
    }
}
