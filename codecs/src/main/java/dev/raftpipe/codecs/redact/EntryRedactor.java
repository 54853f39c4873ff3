package dev.raftpipe.codecs.redact;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.raftpipe.codecs.etcd.EntryPayload;
import dev.raftpipe.codecs.etcd.EntryPayloads;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.Compare;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.InternalRaftRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RequestOp;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.TxnRequest;
import dev.raftpipe.codecs.raft.Entry;
import java.util.List;

/**
 * Rewrites entries by a {@link RedactionPolicy}, never removing one: a removed entry becomes a no-op
 * (EntryNormal, same term and index, empty data), so every index and consistent_index stays true.
 * Rules reach into txns, nested ones too. Not thread-safe (one HMAC instance).
 */
public final class EntryRedactor {
    private static final int COMPARE_VALUE = 3;

    private final RedactionPolicy policy;
    private final ValueMask mask;

    public EntryRedactor(RedactionPolicy policy) {
        this.policy = policy;
        this.mask = policy.maskPrefixes().isEmpty() ? null : new ValueMask(policy.maskKey());
    }

    public RedactedEntry redact(Entry entry) throws MalformedMessageException {
        EntryPayload payload = EntryPayloads.decode(entry);
        if (payload instanceof EntryPayload.ConfChangeEntry || payload instanceof EntryPayload.ConfChangeV2Entry) {
            return policy.keepMembership() ? unchanged(entry) : noop(entry, RedactedEntry.Change.MEMBERSHIP_STRIPPED, 0);
        }
        if (!(payload instanceof EntryPayload.Request r)) {
            return unchanged(entry);
        }
        EtcdRequest view = r.request().view();
        if (view instanceof EtcdRequest.MemberAttrSet) {
            return policy.keepMembership() ? unchanged(entry) : noop(entry, RedactedEntry.Change.MEMBERSHIP_STRIPPED, 0);
        }
        if (!policy.hasRules() || r.request().legacyV2()) {
            return unchanged(entry);
        }
        if (view instanceof EtcdRequest.Put p) {
            if (policy.drops(p.key())) {
                return noop(entry, RedactedEntry.Change.DROPPED, 0);
            }
            if (policy.masks(p.key()) && !p.ignoreValue()) {
                InternalRaftRequest req = parse(entry);
                InternalRaftRequest.Builder b = req.toBuilder();
                b.getPutBuilder().setValue(ByteString.copyFrom(mask.mask(p.value())));
                return rewritten(entry, b.build(), 1);
            }
        } else if (view instanceof EtcdRequest.DeleteRange d) {
            if (d.rangeEnd().length == 0 && policy.drops(d.key())) {
                return noop(entry, RedactedEntry.Change.DROPPED, 0);
            }
        } else if (view instanceof EtcdRequest.Txn t) {
            int[] touched = new int[2]; // [dropped-key writes, other writes]
            countWrites(t, touched);
            if (touched[0] > 0) {
                return noop(entry, RedactedEntry.Change.DROPPED_TXN, touched[1]);
            }
            if (mask != null) {
                InternalRaftRequest req = parse(entry);
                int[] masked = new int[1];
                TxnRequest txn = maskTxn(req.getTxn(), masked);
                if (masked[0] > 0) {
                    return rewritten(entry, req.toBuilder().setTxn(txn).build(), masked[0]);
                }
            }
        }
        return unchanged(entry);
    }

    private void countWrites(EtcdRequest.Txn t, int[] touched) {
        for (List<EtcdRequest> branch : List.of(t.success(), t.failure())) {
            for (EtcdRequest op : branch) {
                byte[] key = op instanceof EtcdRequest.Put p ? p.key()
                        : op instanceof EtcdRequest.DeleteRange d ? d.key() : null;
                if (op instanceof EtcdRequest.Txn nested) {
                    countWrites(nested, touched);
                } else if (key != null) {
                    touched[policy.drops(key) ? 0 : 1]++;
                }
            }
        }
    }

    /** Masks put values and value compares on masked keys, in every branch and nested txn. */
    private TxnRequest maskTxn(TxnRequest t, int[] masked) {
        TxnRequest.Builder b = t.toBuilder();
        for (int i = 0; i < b.getCompareCount(); i++) {
            Compare c = b.getCompare(i);
            if (c.getTarget() == COMPARE_VALUE && policy.masks(c.getKey().toByteArray())) {
                b.setCompare(i, c.toBuilder().setValue(ByteString.copyFrom(mask.mask(c.getValue().toByteArray()))));
                masked[0]++;
            }
        }
        for (int i = 0; i < b.getSuccessCount(); i++) {
            b.setSuccess(i, maskOp(b.getSuccess(i), masked));
        }
        for (int i = 0; i < b.getFailureCount(); i++) {
            b.setFailure(i, maskOp(b.getFailure(i), masked));
        }
        return b.build();
    }

    private RequestOp maskOp(RequestOp op, int[] masked) {
        if (op.hasRequestTxn()) {
            return op.toBuilder().setRequestTxn(maskTxn(op.getRequestTxn(), masked)).build();
        }
        if (op.hasRequestPut() && policy.masks(op.getRequestPut().getKey().toByteArray())
                && !op.getRequestPut().getIgnoreValue()) {
            masked[0]++;
            return op.toBuilder().setRequestPut(op.getRequestPut().toBuilder()
                    .setValue(ByteString.copyFrom(mask.mask(op.getRequestPut().getValue().toByteArray())))).build();
        }
        return op;
    }

    private static InternalRaftRequest parse(Entry entry) throws MalformedMessageException {
        try {
            return InternalRaftRequest.parseFrom(entry.data());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("entry " + entry.index() + ": " + e.getMessage());
        }
    }

    private static RedactedEntry unchanged(Entry entry) {
        return new RedactedEntry(entry, RedactedEntry.Change.UNCHANGED, 0, 0);
    }

    private static RedactedEntry noop(Entry entry, RedactedEntry.Change change, int otherKeys) {
        return new RedactedEntry(Entry.noop(entry.term(), entry.index()), change, 0, otherKeys);
    }

    private static RedactedEntry rewritten(Entry entry, InternalRaftRequest req, int masked) {
        return new RedactedEntry(entry.withData(req.toByteArray()), RedactedEntry.Change.MASKED, masked, 0);
    }
}
