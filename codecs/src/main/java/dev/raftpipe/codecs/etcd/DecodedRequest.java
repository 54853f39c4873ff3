package dev.raftpipe.codecs.etcd;

import com.google.protobuf.MessageLite;
import dev.raftpipe.codecs.internal.proto.EtcdServerProtos;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos;

/**
 * An entry's request as parsed off the wire. It keeps the parsed message, unknown fields included,
 * so {@link #encode()} gives back the same bytes for anything this build does not model.
 */
public final class DecodedRequest {
    private final MessageLite message;
    private final EtcdRequest view;
    private final long id;

    DecodedRequest(RaftInternalProtos.InternalRaftRequest request) {
        this.message = request;
        this.view = RequestViews.of(request);
        this.id = request.getId() != 0 ? request.getId() : request.getHeader().getId();
    }

    DecodedRequest(EtcdServerProtos.Request legacy) {
        this.message = legacy;
        this.view = RequestViews.ofV2(legacy);
        this.id = legacy.getId();
    }

    /** The request ID etcd's proposer waits on. */
    public long id() {
        return id;
    }

    public EtcdRequest view() {
        return view;
    }

    /** True when etcd wrote a bare v2 {@code Request} rather than an {@code InternalRaftRequest}. */
    public boolean legacyV2() {
        return message instanceof EtcdServerProtos.Request;
    }

    public byte[] encode() {
        return message.toByteArray();
    }
}
