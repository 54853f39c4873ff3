package dev.raftpipe.stages;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Settings of {@link RaftLog}; defaults under {@code raftpipe.raft-log} in reference.conf. */
public final class RaftLogSettings {
    private final long maxUncommittedBytes;

    private RaftLogSettings(long maxUncommittedBytes) {
        if (maxUncommittedBytes <= 0) {
            throw new IllegalArgumentException("max-uncommitted-bytes must be positive");
        }
        this.maxUncommittedBytes = maxUncommittedBytes;
    }

    public static RaftLogSettings create() {
        return create(ConfigFactory.load());
    }

    /** The settings of the actor system's configuration (its {@code reference.conf} and {@code application.conf}). */
    public static RaftLogSettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    public static RaftLogSettings create(Config config) {
        return new RaftLogSettings(config.getConfig("raftpipe.raft-log").getBytes("max-uncommitted-bytes"));
    }

    public RaftLogSettings withMaxUncommittedBytes(long bytes) {
        return new RaftLogSettings(bytes);
    }

    public long maxUncommittedBytes() {
        return maxUncommittedBytes;
    }

    @Override
    public String toString() {
        return "RaftLogSettings(maxUncommittedBytes=" + maxUncommittedBytes + ")";
    }
}
