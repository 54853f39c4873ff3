package dev.raftpipe.codecs.raft;

import java.util.List;

/** raftpb.ConfState: the voters and learners of a configuration (joint consensus fields from 3.5). */
public record ConfState(List<Long> voters, List<Long> learners, List<Long> votersOutgoing,
                        List<Long> learnersNext, boolean autoLeave) {

    public ConfState {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
        votersOutgoing = List.copyOf(votersOutgoing);
        learnersNext = List.copyOf(learnersNext);
    }

    public static ConfState of(List<Long> voters, List<Long> learners) {
        return new ConfState(voters, learners, List.of(), List.of(), false);
    }
}
