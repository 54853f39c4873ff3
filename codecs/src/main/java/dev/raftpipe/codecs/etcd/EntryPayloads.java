package dev.raftpipe.codecs.etcd;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.proto.EtcdServerProtos;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.RaftMessages;

/** Decodes an entry's data the way etcd's apply loop does. */
public final class EntryPayloads {
    private EntryPayloads() {
    }

    public static EntryPayload decode(Entry entry) throws MalformedMessageException {
        return switch (entry.type()) {
            case NORMAL -> entry.data().length == 0
                    ? new EntryPayload.Noop()
                    : new EntryPayload.Request(decodeRequest(entry.data()));
            case CONF_CHANGE -> new EntryPayload.ConfChangeEntry(RaftMessages.decodeConfChange(entry.data()));
            case CONF_CHANGE_V2 -> new EntryPayload.ConfChangeV2Entry(RaftMessages.decodeConfChangeV2(entry.data()));
        };
    }

    /**
     * etcd first tries an InternalRaftRequest; bytes that do not parse as one are a legacy v2 Request
     * (3.4 still writes member attribute and cluster version updates that way).
     */
    public static DecodedRequest decodeRequest(byte[] data) throws MalformedMessageException {
        try {
            return new DecodedRequest(RaftInternalProtos.InternalRaftRequest.parseFrom(data));
        } catch (InvalidProtocolBufferException notInternal) {
            try {
                return new DecodedRequest(EtcdServerProtos.Request.parseFrom(data));
            } catch (InvalidProtocolBufferException notV2) {
                throw new MalformedMessageException("entry data is neither an InternalRaftRequest ("
                        + notInternal.getMessage() + ") nor a v2 Request (" + notV2.getMessage() + ")");
            }
        }
    }
}
