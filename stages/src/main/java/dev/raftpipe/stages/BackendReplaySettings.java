package dev.raftpipe.stages;

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

    private BackendReplaySettings(int batchEntries, long batchBytes, Duration batchInterval, BackendSettings backend,
                                  boolean allowOtherCluster) {
        if (batchEntries < 1 || batchBytes < 1 || batchInterval.isNegative() || batchInterval.isZero()) {
            throw new IllegalArgumentException("replay batch limits must be positive");
        }
        this.batchEntries = batchEntries;
        this.batchBytes = batchBytes;
        this.batchInterval = batchInterval;
        this.backend = backend;
        this.allowOtherCluster = allowOtherCluster;
    }

    public static BackendReplaySettings create() {
        return create(ConfigFactory.load());
    }

    public static BackendReplaySettings create(Config config) {
        Config c = config.getConfig("raftpipe.replay-sink");
        return new BackendReplaySettings(c.getInt("batch-entries"), c.getBytes("batch-bytes"),
                c.getDuration("batch-interval"), BackendSettings.create(config), c.getBoolean("allow-other-cluster"));
    }

    public BackendReplaySettings withBatchEntries(int entries) {
        return new BackendReplaySettings(entries, batchBytes, batchInterval, backend, allowOtherCluster);
    }

    public BackendReplaySettings withBatchBytes(long bytes) {
        return new BackendReplaySettings(batchEntries, bytes, batchInterval, backend, allowOtherCluster);
    }

    public BackendReplaySettings withBatchInterval(Duration interval) {
        return new BackendReplaySettings(batchEntries, batchBytes, interval, backend, allowOtherCluster);
    }

    public BackendReplaySettings withBackendSettings(BackendSettings settings) {
        return new BackendReplaySettings(batchEntries, batchBytes, batchInterval, settings, allowOtherCluster);
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
        return new BackendReplaySettings(batchEntries, batchBytes, batchInterval, backend, allow);
    }

    @Override
    public String toString() {
        return "BackendReplaySettings(batchEntries=" + batchEntries + ", batchBytes=" + batchBytes
                + ", batchInterval=" + batchInterval + ", " + backend + ", allowOtherCluster=" + allowOtherCluster + ")";
    }
}
