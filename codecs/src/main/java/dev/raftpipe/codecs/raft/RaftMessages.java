package dev.raftpipe.codecs.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.proto.RaftProtos;
import dev.raftpipe.codecs.internal.proto.WalProtos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decoders and encoders for raft's small messages. Encoders set every non-nullable field, as etcd's
 * gogoproto code writes them even when zero, so that re-encoded records equal etcd's bytes.
 */
public final class RaftMessages {
    private RaftMessages() {
    }

    public static HardState decodeHardState(byte[] data) throws MalformedMessageException {
        RaftProtos.HardState p = parse(() -> RaftProtos.HardState.parseFrom(data), "HardState");
        return new HardState(p.getTerm(), p.getVote(), p.getCommit());
    }

    public static byte[] encodeHardState(HardState s) {
        return RaftProtos.HardState.newBuilder()
                .setTerm(s.term()).setVote(s.vote()).setCommit(s.commit())
                .build().toByteArray();
    }

    public static WalSnapshot decodeWalSnapshot(byte[] data) throws MalformedMessageException {
        WalProtos.Snapshot p = parse(() -> WalProtos.Snapshot.parseFrom(data), "walpb.Snapshot");
        Optional<ConfState> cs = p.hasConfState() ? Optional.of(toConfState(p.getConfState())) : Optional.empty();
        return new WalSnapshot(p.getIndex(), p.getTerm(), cs);
    }

    public static byte[] encodeWalSnapshot(WalSnapshot s) {
        WalProtos.Snapshot.Builder b = WalProtos.Snapshot.newBuilder().setIndex(s.index()).setTerm(s.term());
        s.confState().ifPresent(cs -> b.setConfState(fromConfState(cs)));
        return b.build().toByteArray();
    }

    public static byte[] encodeConfState(ConfState cs) {
        return fromConfState(cs).toByteArray();
    }

    public static ConfState decodeConfState(byte[] data) throws MalformedMessageException {
        return toConfState(parse(() -> RaftProtos.ConfState.parseFrom(data), "ConfState"));
    }

    public static ConfChange decodeConfChange(byte[] data) throws MalformedMessageException {
        RaftProtos.ConfChange p = parse(() -> RaftProtos.ConfChange.parseFrom(data), "ConfChange");
        ConfChangeType type = ConfChangeType.fromWire(p.getType());
        if (type == null) {
            throw new MalformedMessageException("unknown conf change type " + p.getType());
        }
        return new ConfChange(p.getId(), type, p.getNodeId(), p.getContext().toByteArray());
    }

    public static byte[] encodeConfChange(ConfChange c) {
        return RaftProtos.ConfChange.newBuilder()
                .setId(c.id()).setType(c.type().wireValue()).setNodeId(c.nodeId())
                .setContext(ByteString.copyFrom(c.context()))
                .build().toByteArray();
    }

    public static ConfChangeV2 decodeConfChangeV2(byte[] data) throws MalformedMessageException {
        RaftProtos.ConfChangeV2 p = parse(() -> RaftProtos.ConfChangeV2.parseFrom(data), "ConfChangeV2");
        List<ConfChangeV2.Single> changes = new ArrayList<>();
        for (RaftProtos.ConfChangeSingle s : p.getChangesList()) {
            ConfChangeType type = ConfChangeType.fromWire(s.getType());
            if (type == null) {
                throw new MalformedMessageException("unknown conf change type " + s.getType());
            }
            changes.add(new ConfChangeV2.Single(type, s.getNodeId()));
        }
        return new ConfChangeV2(p.getTransition(), changes, p.getContext().toByteArray());
    }

    private static ConfState toConfState(RaftProtos.ConfState p) {
        return new ConfState(p.getVotersList(), p.getLearnersList(), p.getVotersOutgoingList(),
                p.getLearnersNextList(), p.getAutoLeave());
    }

    private static RaftProtos.ConfState fromConfState(ConfState cs) {
        return RaftProtos.ConfState.newBuilder()
                .addAllVoters(cs.voters()).addAllLearners(cs.learners())
                .addAllVotersOutgoing(cs.votersOutgoing()).addAllLearnersNext(cs.learnersNext())
                .setAutoLeave(cs.autoLeave())
                .build();
    }

    /** A protobuf parse that may throw protobuf's own exception. */
    public interface Parse<T> {
        T run() throws InvalidProtocolBufferException;
    }

    public static <T> T parse(Parse<T> parse, String what) throws MalformedMessageException {
        try {
            return parse.run();
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("undecodable " + what + ": " + e.getMessage());
        }
    }
}
