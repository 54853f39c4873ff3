package dev.raftpipe.codecs.redact;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.Compare;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.DeleteRangeRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.InternalRaftRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.PutRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RequestOp;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.TxnRequest;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryRedactorTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final RedactionPolicy MASK = new RedactionPolicy(List.of(), List.of(b("/s/")), KEY, true);
    static final RedactionPolicy DROP = new RedactionPolicy(List.of(b("/s/")), List.of(), null, true);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static Entry entry(InternalRaftRequest.Builder r) {
        return new Entry(3, 42, EntryType.NORMAL, r.build().toByteArray());
    }

    static RequestOp put(String key, String value) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value))).build();
    }

    @Test
    void masksNestedPutsAndValueComparesAlikeAndKeepsUnknownFields() throws Exception {
        TxnRequest inner = TxnRequest.newBuilder().addSuccess(put("/s/inner", "secret-b")).build();
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("/s/a")).setTarget(3).setResult(0).setValue(bs("secret-a")))
                .addSuccess(put("/s/a", "secret-a")).addSuccess(put("/c/x", "plain"))
                .addFailure(RequestOp.newBuilder().setRequestTxn(inner)).build();
        InternalRaftRequest.Builder req = InternalRaftRequest.newBuilder().setTxn(txn)
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(999,
                        UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build());
        RedactedEntry r = new EntryRedactor(MASK).redact(entry(req));
        assertEquals(RedactedEntry.Change.MASKED, r.change());
        assertEquals(3, r.maskedValues());
        assertEquals(42, r.entry().index());
        assertEquals(3, r.entry().term());
        InternalRaftRequest out = InternalRaftRequest.parseFrom(r.entry().data());
        TxnRequest t = out.getTxn();
        assertEquals(t.getCompare(0).getValue(), t.getSuccess(0).getRequestPut().getValue(),
                "equal values stay equal, so the compare keeps its outcome");
        assertTrue(t.getSuccess(0).getRequestPut().getValue().toStringUtf8().startsWith("raftpipe-masked:"));
        assertEquals("plain", t.getSuccess(1).getRequestPut().getValue().toStringUtf8());
        assertTrue(t.getFailure(0).getRequestTxn().getSuccess(0).getRequestPut().getValue().toStringUtf8()
                .startsWith("raftpipe-masked:"));
        assertEquals(List.of(7L), out.getUnknownFields().getField(999).getVarintList());
    }

    @Test
    void aPutWithIgnoreValueHasNoValueToMask() throws Exception {
        Entry e = entry(InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder().setKey(bs("/s/a")).setIgnoreValue(true)));
        RedactedEntry r = new EntryRedactor(MASK).redact(e);
        assertEquals(RedactedEntry.Change.UNCHANGED, r.change());
        assertSame(e, r.entry());
    }

    @Test
    void dropsPutsSingleDeletesAndWholeTxnsUnderThePrefix() throws Exception {
        EntryRedactor drop = new EntryRedactor(DROP);
        RedactedEntry put = drop.redact(entry(InternalRaftRequest.newBuilder().setPut(
                PutRequest.newBuilder().setKey(bs("/s/a")).setValue(bs("v")))));
        assertEquals(RedactedEntry.Change.DROPPED, put.change());
        assertTrue(put.entry().isNoop());
        assertEquals(42, put.entry().index());

        RedactedEntry del = drop.redact(entry(InternalRaftRequest.newBuilder().setDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(bs("/s/a")))));
        assertEquals(RedactedEntry.Change.DROPPED, del.change());
        RedactedEntry range = drop.redact(entry(InternalRaftRequest.newBuilder().setDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(bs("/")).setRangeEnd(bs("0")))));
        assertEquals(RedactedEntry.Change.UNCHANGED, range.change(), "a range delete touches other keys too");

        RedactedEntry txn = drop.redact(entry(InternalRaftRequest.newBuilder().setTxn(TxnRequest.newBuilder()
                .addSuccess(put("/c/x", "1")).addSuccess(put("/c/y", "2"))
                .addFailure(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder().addSuccess(put("/s/z", "3")))))));
        assertEquals(RedactedEntry.Change.DROPPED_TXN, txn.change());
        assertEquals(2, txn.otherKeys());
        assertTrue(txn.entry().isNoop());
    }

    @Test
    void masksAreDeterministicPerKey() throws Exception {
        Entry e = entry(InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder().setKey(bs("/s/a")).setValue(bs("v"))));
        assertEquals(new EntryRedactor(MASK).redact(e).entry(), new EntryRedactor(MASK).redact(e).entry());
        RedactionPolicy otherKey = new RedactionPolicy(List.of(), List.of(b("/s/")), "another-key-of-16+bytes".getBytes(), true);
        assertTrue(!new EntryRedactor(otherKey).redact(e).entry().equals(new EntryRedactor(MASK).redact(e).entry()));
    }
}
