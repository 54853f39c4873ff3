package dev.raftpipe.stages;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.store.BackendSettings;

import java.time.Duration;

/**
 * Settings of {@link BackendReplaySink}; defaults under {@code raftpipe.replay-sink} and
 * {@code raftpipe.backend} in reference.conf. A batch is one SQLite transaction: it closes at whichever
 * limit comes first, so a slow trickle of entries still commits every {@code batchInterval}.
 */
public final class BackendReplaySettings {
    private final int batchEntries;
    private final long batchBytes;
    private final Duration batchInterval;
    private final BackendSettings backend;
    private final boolean allowOtherCluster;
    private final long maxRevision;

    private BackendReplaySettings(int batchEntries, long batchBytes, Duration batchInterval, BackendSettings backend,
                                  boolean allowOtherCluster) {
        this(batchEntries, batchBytes, batchInterval, backend, allowOtherCluster, Long.MAX_VALUE);
    }

    private BackendReplaySettings(int batchEntries, long batchBytes, Duration batchInterval, BackendSettings backend,
                                  boolean allowOtherCluster, long maxRevision) {
        if (batchEntries < 1 || batchBytes < 1 || batchInterval.isNegative() || batchInterval.isZero()) {
            throw new IllegalArgumentException("replay batch limits must be positive");
        }
        this.batchEntries = batchEntries;
        this.batchBytes = batchBytes;
        this.batchInterval = batchInterval;
        this.backend = backend;
        this.allowOtherCluster = allowOtherCluster;
        this.maxRevision = maxRevision;
    }

    public static BackendReplaySettings create() {
        return create(ConfigFactory.load());
    }

    /** The settings of the actor system's configuration (its {@code reference.conf} and {@code application.conf}). */
    public static BackendReplaySettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    public static BackendReplaySettings create(Config config) {
        Config c = config.getConfig("raftpipe.replay-sink");
        return new BackendReplaySettings(c.getInt("batch-entries"), c.getBytes("batch-bytes"),
                c.getDuration("batch-interval"), BackendSettings.create(config), c.getBoolean("allow-other-cluster"));
    }

    public BackendReplaySettings withBatchEntries(int entries) {
        return new BackendReplaySettings(entries, batchBytes, batchInterval, backend, allowOtherCluster, maxRevision);
    }

    public BackendReplaySettings withBatchBytes(long bytes) {
        return new BackendReplaySettings(batchEntries, bytes, batchInterval, backend, allowOtherCluster, maxRevision);
    }

    public BackendReplaySettings withBatchInterval(Duration interval) {
        return new BackendReplaySettings(batchEntries, batchBytes, interval, backend, allowOtherCluster, maxRevision);
    }

    public BackendReplaySettings withBackendSettings(BackendSettings settings) {
        return new BackendReplaySettings(batchEntries, batchBytes, batchInterval, settings, allowOtherCluster,
                maxRevision);
    }

    public int batchEntries() {
        return batchEntries;
    }

    public long batchBytes() {
        return batchBytes;
    }

    public Duration batchInterval() {
        return batchInterval;
    }

    public BackendSettings backendSettings() {
        return backend;
    }

    /** Whether a WAL of another cluster than the one the backend holds may be applied to it. */
    public boolean allowOtherCluster() {
        return allowOtherCluster;
    }

    public BackendReplaySettings withAllowOtherCluster(boolean allow) {
        return new BackendReplaySettings(batchEntries, batchBytes, batchInterval, backend, allow, maxRevision);
    }

    /**
     * Point in time by revision: stop before the first entry whose apply would take the revision past {@code revision}
     * (the state is then etcd's after the last entry ending at or below it); a WAL that never reaches it fails.
     */
    public BackendReplaySettings withMaxRevision(long revision) {
        if (revision < 1) {
            throw new IllegalArgumentException("a point in time is a revision of 1 or more, not " + revision);
        }
        return new BackendReplaySettings(batchEntries, batchBytes, batchInterval, backend, allowOtherCluster, revision);
    }

    /** The revision to stop at; {@code Long.MAX_VALUE} for none. */
    public long maxRevision() {
        return maxRevision;
    }

    @Override
    public String toString() {
        return "BackendReplaySettings(batchEntries=" + batchEntries + ", batchBytes=" + batchBytes
                + ", batchInterval=" + batchInterval + ", " + backend + ", allowOtherCluster=" + allowOtherCluster + ", maxRevision=" + maxRevision + ")";
    }
}
