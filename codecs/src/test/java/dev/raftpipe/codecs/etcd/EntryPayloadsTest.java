package dev.raftpipe.codecs.etcd;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import dev.raftpipe.testing.WalRecords;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryPayloadsTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void everyEntryOfTheFixtureDecodesAndReencodesToTheSameBytes() throws Exception {
        java.nio.file.Path single = EtcdFixtures.extract("single", tmp);
        Map<String, Integer> ops = new TreeMap<>();
        for (WalRecord r : WalRecords.readAll(EtcdFixtures.walDir(single, "n1"))) {
            if (!(r instanceof WalRecord.EntryRecord er)) {
                continue;
            }
            EntryPayload p = EntryPayloads.decode(er.entry());
            String op = p instanceof EntryPayload.Request req ? req.request().view().op()
                    : p.getClass().getSimpleName();
            ops.merge(op, 1, Integer::sum);
            if (p instanceof EntryPayload.Request req) {
                assertArrayEquals(er.entry().data(), req.request().encode(), "entry " + er.entry().index());
            }
        }
        // The workload: puts, deletes, txns, leases, one compaction; etcd's own membership entries.
        for (String op : new String[] {"put", "delete_range", "txn", "lease_grant", "lease_revoke",
                "compaction", "member_attr", "cluster_version", "ConfChangeEntry", "Noop"}) {
            assertTrue(ops.containsKey(op), "no " + op + " in " + ops);
        }
        assertTrue(!ops.containsKey("unknown"), ops.toString());
    }

    @Test
    void unknownFieldsAndUnknownRequestKindsSurviveARoundTrip() throws Exception {
        byte[] put = RaftInternalProtos.InternalRaftRequest.newBuilder().setId(7)
                .setPut(RaftInternalProtos.PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("/k")).setValue(ByteString.copyFromUtf8("v")))
                .build().toByteArray();
        byte[] withUnknown = concat(put, field(77, "future"));
        DecodedRequest d = EntryPayloads.decodeRequest(withUnknown);
        assertInstanceOf(EtcdRequest.Put.class, d.view());
        assertArrayEquals(withUnknown, d.encode());

        byte[] futureKind = concat(RaftInternalProtos.InternalRaftRequest.newBuilder().setId(9).build().toByteArray(),
                field(1400, "a request kind from a later etcd"));
        DecodedRequest u = EntryPayloads.decodeRequest(futureKind);
        EtcdRequest.Unknown view = assertInstanceOf(EtcdRequest.Unknown.class, u.view());
        assertEquals(java.util.List.of(1400), view.fieldNumbers());
        assertArrayEquals(futureKind, u.encode());
    }

    @Test
    void undecodableEntryDataIsATypedError() {
        Entry e = new Entry(1, 5, EntryType.NORMAL, new byte[] {(byte) 0xff, (byte) 0xff, 0x07});
        org.junit.jupiter.api.Assertions.assertThrows(MalformedMessageException.class, () -> EntryPayloads.decode(e));
    }

    private static byte[] field(int number, String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(out);
        c.writeBytes(number, ByteString.copyFrom(value, StandardCharsets.UTF_8));
        c.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
