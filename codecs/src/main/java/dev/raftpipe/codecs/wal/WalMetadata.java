package dev.raftpipe.codecs.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.proto.EtcdServerProtos;

/** etcdserverpb.Metadata, the WAL's metadata record: which member wrote it, in which cluster. */
public record WalMetadata(long nodeId, long clusterId) {

    public static WalMetadata decode(byte[] data) throws MalformedMessageException {
        try {
            EtcdServerProtos.Metadata p = EtcdServerProtos.Metadata.parseFrom(data);
            return new WalMetadata(p.getNodeId(), p.getClusterId());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("undecodable metadata: " + e.getMessage());
        }
    }

    public byte[] encode() {
        return EtcdServerProtos.Metadata.newBuilder().setNodeId(nodeId).setClusterId(clusterId)
                .build().toByteArray();
    }
}
