package dev.raftpipe.pipeline.migrate;

import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** How the coordinator hands a cluster's job to a {@link JobRunner}: a local child, or a sharded entity. */
public interface JobDispatch {
    /** Called once as the coordinator starts. */
    default void attach(ActorContext<Coordinator.Message> ctx) {
    }

    /** Whether a request may be lost on the way (then the coordinator repeats unacknowledged ones). */
    default boolean mayLoseRequests() {
        return false;
    }

    /** Sends the job; a repeat (same {@code dispatch}) must be harmless. */
    void run(ActorContext<Coordinator.Message> ctx, ClusterSpec spec, long dispatch, boolean resume);
}
