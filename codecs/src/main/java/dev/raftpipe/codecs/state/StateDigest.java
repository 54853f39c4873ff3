package dev.raftpipe.codecs.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Checksum;
import java.util.List;

/** Feeds a record's fields into a checksum in one fixed, length-prefixed form, independent of Avro. */
public final class StateDigest {
    private StateDigest() {
    }

    public static void update(Checksum d, StateRecord r) {
        if (r instanceof StateRecord.Meta m) {
            longs(d, 0, m.consistentIndex(), m.term(), m.revision(), m.compactRevision());
            ids(d, m.voters());
            ids(d, m.learners());
            text(d, m.clusterVersion());
            text(d, m.applyMode());
        } else if (r instanceof StateRecord.Member m) {
            longs(d, 1, m.id(), m.isLearner() ? 1 : 0);
            text(d, m.name());
            m.peerUrls().forEach(u -> text(d, u));
            longs(d, m.peerUrls().size());
            m.clientUrls().forEach(u -> text(d, u));
            longs(d, m.clientUrls().size());
        } else if (r instanceof StateRecord.Lease l) {
            longs(d, 2, l.id(), l.ttl(), l.remainingTtl());
        } else if (r instanceof StateRecord.BucketEntry b) {
            longs(d, 4);
            text(d, b.bucket());
            bytes(d, b.key());
            bytes(d, b.value());
        } else if (r instanceof StateRecord.KeyValue kv) {
            longs(d, 3, kv.createRevision(), kv.modRevision(), kv.version(), kv.lease());
            bytes(d, kv.key());
            bytes(d, kv.value());
        }
    }

    private static void ids(Checksum d, List<Long> ids) {
        longs(d, ids.size());
        ids.forEach(id -> longs(d, id));
    }

    private static void text(Checksum d, String s) {
        bytes(d, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(Checksum d, byte[] b) {
        longs(d, b.length);
        d.update(b, 0, b.length);
    }

    private static void longs(Checksum d, long... values) {
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length);
        for (long v : values) {
            buf.putLong(v);
        }
        d.update(buf.array(), 0, buf.capacity());
    }
}
