package dev.raftpipe.store;

import com.google.protobuf.ByteString;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.AlarmRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.CompactionRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.Compare;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.DeleteRangeRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.InternalRaftRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.LeaseGrantRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.LeaseRevokeRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.PutRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RangeRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RequestHeader;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RequestOp;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.TxnRequest;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds a raft log of etcd requests, encoded as etcd encodes them, with consecutive indexes. */
final class Log {
    private final List<Entry> entries = new ArrayList<>();
    private long index;
    private long term = 1;

    Log startingAt(long firstIndex) {
        index = firstIndex - 1;
        return this;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Hands out what was built so far and starts a new batch. */
    List<Entry> take() {
        List<Entry> out = List.copyOf(entries);
        entries.clear();
        return out;
    }

    Log noop() {
        entries.add(Entry.noop(term, ++index));
        return this;
    }

    Log raw(EntryType type, byte[] data) {
        entries.add(new Entry(term, ++index, type, data));
        return this;
    }

    Log request(InternalRaftRequest.Builder r) {
        return raw(EntryType.NORMAL, r.setHeader(RequestHeader.newBuilder().setId(index + 1)).build().toByteArray());
    }

    Log put(String key, String value) {
        return request(InternalRaftRequest.newBuilder().setPut(putRequest(key, value, 0)));
    }

    Log put(String key, String value, long lease) {
        return request(InternalRaftRequest.newBuilder().setPut(putRequest(key, value, lease)));
    }

    Log put(PutRequest.Builder p) {
        return request(InternalRaftRequest.newBuilder().setPut(p));
    }

    Log delete(String key, String rangeEnd) {
        return request(InternalRaftRequest.newBuilder().setDeleteRange(deleteRequest(key, rangeEnd)));
    }

    Log txn(TxnRequest.Builder t) {
        return request(InternalRaftRequest.newBuilder().setTxn(t));
    }

    Log compact(long revision) {
        return request(InternalRaftRequest.newBuilder().setCompaction(CompactionRequest.newBuilder().setRevision(revision)));
    }

    Log grant(long id, long ttl) {
        return request(InternalRaftRequest.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setId(id).setTtl(ttl)));
    }

    Log revoke(long id) {
        return request(InternalRaftRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setId(id)));
    }

    Log alarm(int action, long member, int alarm) {
        return request(InternalRaftRequest.newBuilder().setAlarm(
                AlarmRequest.newBuilder().setAction(action).setMemberId(member).setAlarm(alarm)));
    }

    static PutRequest.Builder putRequest(String key, String value, long lease) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setLease(lease);
    }

    static DeleteRangeRequest.Builder deleteRequest(String key, String rangeEnd) {
        return DeleteRangeRequest.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(rangeEnd));
    }

    static RequestOp putOp(String key, String value) {
        return RequestOp.newBuilder().setRequestPut(putRequest(key, value, 0)).build();
    }

    static RequestOp deleteOp(String key, String rangeEnd) {
        return RequestOp.newBuilder().setRequestDeleteRange(deleteRequest(key, rangeEnd)).build();
    }

    static RequestOp rangeOp(String key, long revision) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(key)).setRevision(revision)).build();
    }

    static RequestOp txnOp(TxnRequest.Builder t) {
        return RequestOp.newBuilder().setRequestTxn(t).build();
    }

    /** A compare of {@code target} (0 version, 1 create, 2 mod, 4 lease) of a key against a number. */
    static Compare compare(String key, String rangeEnd, int target, int result, long number) {
        Compare.Builder c = Compare.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(rangeEnd))
                .setTarget(target).setResult(result);
        switch (target) {
            case 0 -> c.setVersion(number);
            case 1 -> c.setCreateRevision(number);
            case 2 -> c.setModRevision(number);
            case 4 -> c.setLease(number);
            default -> throw new IllegalArgumentException("target " + target);
        }
        return c.build();
    }

    static Compare valueCompare(String key, String rangeEnd, int result, String value) {
        return Compare.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(rangeEnd)).setTarget(3).setResult(result)
                .setValue(bytes(value)).build();
    }

    static ByteString bytes(String s) {
        return ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8));
    }
}
