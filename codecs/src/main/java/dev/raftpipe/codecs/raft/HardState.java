package dev.raftpipe.codecs.raft;

/** raftpb.HardState: what a member must remember across restarts. {@code vote} is a member ID. */
public record HardState(long term, long vote, long commit) {

    public static final HardState EMPTY = new HardState(0, 0, 0);

    public boolean isEmpty() {
        return term == 0 && vote == 0 && commit == 0;
    }

    /** The vote as etcd prints member IDs (unsigned hex), as every message and report does. */
    @Override
    public String toString() {
        return "HardState[term=" + term + ", vote=" + NodeIds.hex(vote) + ", commit=" + commit + "]";
    }
}
