package dev.raftpipe.codecs.raft;

import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.WireReader;
import dev.raftpipe.codecs.internal.WireWriter;

import java.util.Arrays;

/**
 * raftpb.Entry on the wire, hand-coded because every WAL byte passes through it. Encoding matches
 * etcd's gogoproto output byte for byte: Type, Term and Index are always written (non-nullable
 * fields), Data only when there is some.
 */
public final class EntryCodec {
    private EntryCodec() {
    }

    public static Entry decode(byte[] buf, int offset, int length) throws MalformedMessageException {
        WireReader in = new WireReader(buf, offset, length);
        long type = 0;
        long term = 0;
        long index = 0;
        byte[] data = null;
        int[] len = new int[1];
        while (!in.atEnd()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    in.expectWireType(tag, WireReader.VARINT);
                    type = in.readVarint();
                }
                case 2 -> {
                    in.expectWireType(tag, WireReader.VARINT);
                    term = in.readVarint();
                }
                case 3 -> {
                    in.expectWireType(tag, WireReader.VARINT);
                    index = in.readVarint();
                }
                case 4 -> {
                    in.expectWireType(tag, WireReader.LENGTH_DELIMITED);
                    int start = in.readLengthDelimited(len);
                    data = Arrays.copyOfRange(buf, start, start + len[0]);
                }
                default -> in.skipField(tag);
            }
        }
        EntryType entryType = EntryType.fromWire(type);
        if (entryType == null) {
            throw new MalformedMessageException("unknown entry type " + type + " at index " + index);
        }
        return new Entry(term, index, entryType, data);
    }

    public static byte[] encode(Entry e) {
        int size = WireWriter.varintFieldSize(e.type().wireValue())
                + WireWriter.varintFieldSize(e.term())
                + WireWriter.varintFieldSize(e.index())
                + (e.data().length > 0 ? WireWriter.bytesFieldSize(e.data().length) : 0);
        byte[] out = new byte[size];
        WireWriter w = new WireWriter(out)
                .varintField(1, e.type().wireValue())
                .varintField(2, e.term())
                .varintField(3, e.index());
        if (e.data().length > 0) {
            w.bytesField(4, e.data());
        }
        return out;
    }
}
