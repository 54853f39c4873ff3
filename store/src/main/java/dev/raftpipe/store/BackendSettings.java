package dev.raftpipe.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Settings of a {@link Backend}; defaults under {@code raftpipe.backend} in reference.conf. */
public final class BackendSettings {
    private static final Set<String> SYNCHRONOUS = Set.of("OFF", "NORMAL", "FULL", "EXTRA");

    private final String synchronous;
    private final Duration busyTimeout;
    private final long minLeaseTtl;
    private final long cacheSize;

    private BackendSettings(String synchronous, Duration busyTimeout, long minLeaseTtl, long cacheSize) {
        String mode = synchronous.toUpperCase(Locale.ROOT);
        if (!SYNCHRONOUS.contains(mode)) {
            throw new IllegalArgumentException("raftpipe.backend.synchronous must be one of " + SYNCHRONOUS
                    + ", not " + synchronous);
        }
        if (minLeaseTtl < 1) {
            throw new IllegalArgumentException("raftpipe.backend.min-lease-ttl must be at least 1 second");
        }
        this.synchronous = mode;
        this.busyTimeout = busyTimeout;
        this.minLeaseTtl = minLeaseTtl;
        if (cacheSize < 1024) {
            throw new IllegalArgumentException("raftpipe.backend.cache-size must be at least 1KiB");
        }
        this.cacheSize = cacheSize;
    }

    public static BackendSettings create() {
        return create(ConfigFactory.load());
    }

    public static BackendSettings create(Config config) {
        Config c = config.getConfig("raftpipe.backend");
        return new BackendSettings(c.getString("synchronous"), c.getDuration("busy-timeout"),
                c.getDuration("min-lease-ttl").toSeconds(), c.getBytes("cache-size"));
    }

    /** SQLite's {@code PRAGMA synchronous}: FULL makes every committed batch durable. */
    public BackendSettings withSynchronous(String mode) {
        return new BackendSettings(mode, busyTimeout, minLeaseTtl, cacheSize);
    }

    public BackendSettings withBusyTimeout(Duration timeout) {
        return new BackendSettings(synchronous, timeout, minLeaseTtl, cacheSize);
    }

    /** The shortest lease TTL the lessor grants, in seconds (etcd derives it from its election timeout). */
    public BackendSettings withMinLeaseTtl(long seconds) {
        return new BackendSettings(synchronous, busyTimeout, seconds, cacheSize);
    }

    /** SQLite's page cache for the writer's connection (PRAGMA cache_size), in bytes. */
    public BackendSettings withCacheSize(long bytes) {
        return new BackendSettings(synchronous, busyTimeout, minLeaseTtl, bytes);
    }

    public long cacheSize() {
        return cacheSize;
    }

    public String synchronous() {
        return synchronous;
    }

    public Duration busyTimeout() {
        return busyTimeout;
    }

    public long minLeaseTtl() {
        return minLeaseTtl;
    }

    @Override
    public String toString() {
        return "BackendSettings(synchronous=" + synchronous + ", busyTimeout=" + busyTimeout + ", minLeaseTtl="
                + minLeaseTtl + ", cacheSize=" + cacheSize + ")";
    }
}
