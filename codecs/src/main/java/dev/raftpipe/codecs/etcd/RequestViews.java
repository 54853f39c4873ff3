package dev.raftpipe.codecs.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.raftpipe.codecs.internal.proto.EtcdServerProtos;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.InternalRaftRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RequestOp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns parsed protobuf requests into {@link EtcdRequest} views. */
final class RequestViews {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** etcd 3.4's v2 store path for a member's attributes. */
    private static final Pattern MEMBER_ATTRIBUTES = Pattern.compile("/0/members/([0-9a-f]{1,16})/attributes");
    private static final String CLUSTER_VERSION = "/0/version";

    private RequestViews() {
    }

    /** The request etcd would apply, checked in the order of etcd's apply switch. */
    static EtcdRequest of(InternalRaftRequest r) {
        if (r.hasV2()) {
            return ofV2(r.getV2());
        }
        if (r.hasRange()) {
            RaftInternalProtos.RangeRequest g = r.getRange();
            return new EtcdRequest.Range(bytes(g.getKey()), bytes(g.getRangeEnd()), g.getLimit(), g.getRevision());
        }
        if (r.hasPut()) {
            return put(r.getPut());
        }
        if (r.hasDeleteRange()) {
            return deleteRange(r.getDeleteRange());
        }
        if (r.hasTxn()) {
            return txn(r.getTxn());
        }
        if (r.hasCompaction()) {
            return new EtcdRequest.Compaction(r.getCompaction().getRevision(), r.getCompaction().getPhysical());
        }
        if (r.hasLeaseGrant()) {
            return new EtcdRequest.LeaseGrant(r.getLeaseGrant().getTtl(), r.getLeaseGrant().getId());
        }
        if (r.hasLeaseRevoke()) {
            return new EtcdRequest.LeaseRevoke(r.getLeaseRevoke().getId());
        }
        if (r.hasLeaseCheckpoint()) {
            List<EtcdRequest.LeaseCheckpoint.Checkpoint> cps = new ArrayList<>();
            for (RaftInternalProtos.LeaseCheckpoint cp : r.getLeaseCheckpoint().getCheckpointsList()) {
                cps.add(new EtcdRequest.LeaseCheckpoint.Checkpoint(cp.getId(), cp.getRemainingTtl()));
            }
            return new EtcdRequest.LeaseCheckpoint(cps);
        }
        if (r.hasAlarm()) {
            return new EtcdRequest.Alarm(r.getAlarm().getAction(), r.getAlarm().getMemberId(), r.getAlarm().getAlarm());
        }
        if (r.hasClusterVersionSet()) {
            return new EtcdRequest.ClusterVersionSet(r.getClusterVersionSet().getVer().toStringUtf8());
        }
        if (r.hasClusterMemberAttrSet()) {
            RaftInternalProtos.ClusterMemberAttrSetRequest m = r.getClusterMemberAttrSet();
            List<String> urls = m.getMemberAttributes().getClientUrlsList().stream().map(ByteString::toStringUtf8).toList();
            return new EtcdRequest.MemberAttrSet(m.getMemberId(), m.getMemberAttributes().getName().toStringUtf8(), urls);
        }
        if (r.hasDowngradeInfoSet()) {
            return new EtcdRequest.DowngradeInfoSet(r.getDowngradeInfoSet().getEnabled(),
                    r.getDowngradeInfoSet().getVer().toStringUtf8());
        }
        for (FieldDescriptor f : r.getAllFields().keySet()) {
            if (f.getName().startsWith("auth")) {
                return new EtcdRequest.Auth(f.getName());
            }
        }
        return new EtcdRequest.Unknown(new ArrayList<>(r.getUnknownFields().asMap().keySet()));
    }

    static EtcdRequest ofV2(EtcdServerProtos.Request r) {
        if ("PUT".equals(r.getMethod())) {
            Matcher m = MEMBER_ATTRIBUTES.matcher(r.getPath());
            if (m.matches()) {
                EtcdRequest.MemberAttrSet attrs = memberAttributes(Long.parseUnsignedLong(m.group(1), 16), r.getVal());
                if (attrs != null) {
                    return attrs;
                }
            }
            if (CLUSTER_VERSION.equals(r.getPath())) {
                return new EtcdRequest.ClusterVersionSet(r.getVal());
            }
        }
        return new EtcdRequest.V2(r.getId(), r.getMethod(), r.getPath(), r.getVal());
    }

    private static EtcdRequest.MemberAttrSet memberAttributes(long id, String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<String> urls = new ArrayList<>();
            n.path("clientURLs").forEach(u -> urls.add(u.asText()));
            return new EtcdRequest.MemberAttrSet(id, n.path("name").asText(""), urls);
        } catch (IOException e) {
            return null;
        }
    }

    private static EtcdRequest put(RaftInternalProtos.PutRequest p) {
        return new EtcdRequest.Put(bytes(p.getKey()), bytes(p.getValue()), p.getLease(), p.getPrevKv(),
                p.getIgnoreValue(), p.getIgnoreLease());
    }

    private static EtcdRequest deleteRange(RaftInternalProtos.DeleteRangeRequest d) {
        return new EtcdRequest.DeleteRange(bytes(d.getKey()), bytes(d.getRangeEnd()), d.getPrevKv());
    }

    private static EtcdRequest txn(RaftInternalProtos.TxnRequest t) {
        List<EtcdRequest.Compare> compares = new ArrayList<>();
        for (RaftInternalProtos.Compare c : t.getCompareList()) {
            long number = switch (c.getTargetUnionCase()) {
                case VERSION -> c.getVersion();
                case CREATE_REVISION -> c.getCreateRevision();
                case MOD_REVISION -> c.getModRevision();
                case LEASE -> c.getLease();
                default -> 0;
            };
            compares.add(new EtcdRequest.Compare(c.getResult(), c.getTarget(), bytes(c.getKey()),
                    bytes(c.getRangeEnd()), number, bytes(c.getValue())));
        }
        return new EtcdRequest.Txn(compares, ops(t.getSuccessList()), ops(t.getFailureList()));
    }

    private static List<EtcdRequest> ops(List<RequestOp> ops) {
        List<EtcdRequest> out = new ArrayList<>();
        for (RequestOp op : ops) {
            out.add(switch (op.getRequestCase()) {
                case REQUEST_RANGE -> new EtcdRequest.Range(bytes(op.getRequestRange().getKey()),
                        bytes(op.getRequestRange().getRangeEnd()), op.getRequestRange().getLimit(),
                        op.getRequestRange().getRevision());
                case REQUEST_PUT -> put(op.getRequestPut());
                case REQUEST_DELETE_RANGE -> deleteRange(op.getRequestDeleteRange());
                case REQUEST_TXN -> txn(op.getRequestTxn());
                case REQUEST_NOT_SET -> new EtcdRequest.Unknown(new ArrayList<>(op.getUnknownFields().asMap().keySet()));
            });
        }
        return out;
    }

    private static byte[] bytes(ByteString b) {
        return b.toByteArray();
    }

}
