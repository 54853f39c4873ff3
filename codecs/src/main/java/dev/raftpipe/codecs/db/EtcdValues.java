package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.state.Revision;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.WireReader;
import dev.raftpipe.codecs.internal.WireWriter;

import java.util.Arrays;
import java.util.HexFormat;

/** Decodes the protobuf values etcd keeps in its buckets: {@code mvccpb.KeyValue} and {@code leasepb.Lease}. */
final class EtcdValues {
    private EtcdValues() {
    }

    static StateRecord.KeyValue keyValue(byte[] v, Revision at) {
        return decode(v, 0, v.length, at, true);
    }

    /**
     * Only the key of an {@code mvccpb.KeyValue} (field 1), without copying the value; the whole message is checked
     * as {@link #keyValue} checks it, so what a replay refuses is refused here too.
     */
    static byte[] keyOf(byte[] b, int offset, int length, Revision at) {
        return decode(b, offset, length, at, false).key();
    }

    /** One decoder for both: the value is copied only when {@code withValue} (empty otherwise). */
    private static StateRecord.KeyValue decode(byte[] b, int offset, int length, Revision at, boolean withValue) {
        byte[] key = new byte[0];
        byte[] value = new byte[0];
        long create = 0;
        long mod = 0;
        long version = 0;
        long lease = 0;
        try {
            WireReader r = new WireReader(b, offset, length);
            int[] len = new int[1];
            while (!r.atEnd()) {
                int tag = r.readTag();
                switch (tag >>> 3) {
                    case 1 -> {
                        r.expectWireType(tag, WireReader.LENGTH_DELIMITED);
                        int from = r.readLengthDelimited(len);
                        key = Arrays.copyOfRange(b, from, from + len[0]);
                    }
                    case 2 -> create = varint(r, tag);
                    case 3 -> mod = varint(r, tag);
                    case 4 -> version = varint(r, tag);
                    case 5 -> {
                        r.expectWireType(tag, WireReader.LENGTH_DELIMITED);
                        int from = r.readLengthDelimited(len);
                        if (withValue) {
                            value = Arrays.copyOfRange(b, from, from + len[0]);
                        }
                    }
                    case 6 -> lease = varint(r, tag);
                    default -> r.skipField(tag);
                }
            }
        } catch (MalformedMessageException e) {
            throw new DbCorruptedException("key bucket: the value at revision " + at
                    + " is not an mvccpb.KeyValue: " + e.getMessage());
        }
        return new StateRecord.KeyValue(key, value, create, mod, version, lease);
    }

    static StateRecord.Lease lease(byte[] k, byte[] v) {
        long id = 0;
        long ttl = 0;
        long remaining = 0;
        try {
            WireReader r = new WireReader(v, 0, v.length);
            while (!r.atEnd()) {
                int tag = r.readTag();
                switch (tag >>> 3) {
                    case 1 -> id = varint(r, tag);
                    case 2 -> ttl = varint(r, tag);
                    case 3 -> remaining = varint(r, tag);
                    default -> r.skipField(tag);
                }
            }
        } catch (MalformedMessageException e) {
            throw new DbCorruptedException("lease bucket: the value of lease " + Long.toHexString(id)
                    + " is not a leasepb.Lease: " + e.getMessage());
        }
        if (k.length != 8 || Revision.readLong(k, 0) != id) {
            throw new DbCorruptedException("lease bucket: key " + HexFormat.of().formatHex(k)
                    + " does not match lease ID " + Long.toHexString(id));
        }
        return new StateRecord.Lease(id, ttl, remaining);
    }

    /** {@code etcdserverpb.AlarmMember}: 1 memberID, 2 alarm (1 NOSPACE, 2 CORRUPT); returns the alarm. */
    static int alarm(byte[] k) {
        int alarm = 0;
        try {
            WireReader r = new WireReader(k, 0, k.length);
            while (!r.atEnd()) {
                int tag = r.readTag();
                if (tag >>> 3 == 2) {
                    alarm = (int) varint(r, tag);
                } else {
                    r.skipField(tag);
                }
            }
        } catch (MalformedMessageException e) {
            throw new DbCorruptedException("alarm bucket: a key is not an AlarmMember: " + e.getMessage());
        }
        return alarm;
    }

    /** {@code mvccpb.KeyValue} as etcd marshals it: fields in order, zero values left out (proto3). */
    static byte[] encodeKeyValue(StateRecord.KeyValue kv) {
        int size = sizeIfSet(kv.key()) + sizeIfSet(kv.createRevision()) + sizeIfSet(kv.modRevision())
                + sizeIfSet(kv.version()) + sizeIfSet(kv.value()) + sizeIfSet(kv.lease());
        byte[] out = new byte[size];
        WireWriter w = new WireWriter(out);
        if (kv.key().length > 0) {
            w.bytesField(1, kv.key());
        }
        varintIfSet(w, 2, kv.createRevision());
        varintIfSet(w, 3, kv.modRevision());
        varintIfSet(w, 4, kv.version());
        if (kv.value().length > 0) {
            w.bytesField(5, kv.value());
        }
        varintIfSet(w, 6, kv.lease());
        return out;
    }

    /** {@code leasepb.Lease}: ID, TTL, RemainingTTL. */
    static byte[] encodeLease(StateRecord.Lease l) {
        byte[] out = new byte[sizeIfSet(l.id()) + sizeIfSet(l.ttl()) + sizeIfSet(l.remainingTtl())];
        WireWriter w = new WireWriter(out);
        varintIfSet(w, 1, l.id());
        varintIfSet(w, 2, l.ttl());
        varintIfSet(w, 3, l.remainingTtl());
        return out;
    }

    private static int sizeIfSet(long v) {
        return v == 0 ? 0 : WireWriter.varintFieldSize(v);
    }

    private static int sizeIfSet(byte[] b) {
        return b.length == 0 ? 0 : WireWriter.bytesFieldSize(b.length);
    }

    private static void varintIfSet(WireWriter w, int field, long v) {
        if (v != 0) {
            w.varintField(field, v);
        }
    }

    private static long varint(WireReader r, int tag) throws MalformedMessageException {
        r.expectWireType(tag, WireReader.VARINT);
        return r.readVarint();
    }
}
