package dev.raftpipe.codecs.wal;

import dev.raftpipe.codecs.internal.WireWriter;
import dev.raftpipe.codecs.raft.EntryCodec;
import dev.raftpipe.codecs.raft.RaftMessages;

/** The data bytes etcd puts in a walpb.Record of each type. */
public final class WalRecordCodec {
    private WalRecordCodec() {
    }

    /** The record's data field; {@code null} for a crc record, which has none. */
    public static byte[] data(WalRecord record) {
        if (record instanceof WalRecord.EntryRecord e) {
            return EntryCodec.encode(e.entry());
        } else if (record instanceof WalRecord.StateRecord s) {
            return RaftMessages.encodeHardState(s.state());
        } else if (record instanceof WalRecord.MetadataRecord m) {
            return m.metadata().encode();
        } else if (record instanceof WalRecord.SnapshotRecord s) {
            return RaftMessages.encodeWalSnapshot(s.snapshot());
        }
        return null;
    }

    /** A whole walpb.Record: Type and Crc always written (gogoproto non-nullable), Data when present. */
    public static byte[] encodeRecord(RecordType type, int crc, byte[] data) {
        long unsignedCrc = crc & 0xFFFF_FFFFL;
        int size = WireWriter.varintFieldSize(type.wireValue()) + WireWriter.varintFieldSize(unsignedCrc)
                + (data != null ? WireWriter.bytesFieldSize(data.length) : 0);
        byte[] out = new byte[size];
        WireWriter w = new WireWriter(out).varintField(1, type.wireValue()).varintField(2, unsignedCrc);
        if (data != null) {
            w.bytesField(3, data);
        }
        return out;
    }

    /** etcd's length word: low 56 bits the length, and with padding the top byte 0x80 | pad bytes. */
    public static long lengthWord(int recordBytes) {
        int pad = padding(recordBytes);
        long word = recordBytes;
        if (pad != 0) {
            word |= (long) (0x80 | pad) << 56;
        }
        return word;
    }

    public static int padding(int recordBytes) {
        return (8 - recordBytes % 8) % 8;
    }
}
