package dev.raftpipe.pipeline.migrate;

import com.typesafe.config.Config;

import java.time.Duration;

/** How a migration runs; defaults under {@code raftpipe.migrate} in reference.conf. */
public final class MigrateSettings {
    private final int parallelism;
    private final int maxAttempts;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final Duration progressInterval;
    private final Duration ackTimeout;

    private MigrateSettings(int parallelism, int maxAttempts, Duration backoffMin, Duration backoffMax,
                            Duration progressInterval, Duration ackTimeout) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("raftpipe.migrate.max-attempts must be at least 1");
        }
        this.parallelism = parallelism;
        this.maxAttempts = maxAttempts;
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
        this.progressInterval = progressInterval;
        this.ackTimeout = ackTimeout;
    }

    public static MigrateSettings create(Config config) {
        Config c = config.getConfig("raftpipe.migrate");
        return new MigrateSettings(c.getInt("parallelism"), c.getInt("max-attempts"), c.getDuration("backoff-min"),
                c.getDuration("backoff-max"), c.getDuration("progress-interval"), c.getDuration("ack-timeout"));
    }

    public int parallelism() {
        return parallelism;
    }

    /** Pipelines running at once; the only thing that multiplies memory. */
    public MigrateSettings withParallelism(int n) {
        return new MigrateSettings(n, maxAttempts, backoffMin, backoffMax, progressInterval, ackTimeout);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Attempts of a job that fails on I/O; data that fails verification is never retried. */
    public MigrateSettings withMaxAttempts(int n) {
        return new MigrateSettings(parallelism, n, backoffMin, backoffMax, progressInterval, ackTimeout);
    }

    public Duration progressInterval() {
        return progressInterval;
    }

    public MigrateSettings withProgressInterval(Duration d) {
        return new MigrateSettings(parallelism, maxAttempts, backoffMin, backoffMax, d, ackTimeout);
    }

    public Duration ackTimeout() {
        return ackTimeout;
    }

    /** Cluster mode: a job request no worker acknowledged within this is sent again (it may have been lost). */
    public MigrateSettings withAckTimeout(Duration d) {
        return new MigrateSettings(parallelism, maxAttempts, backoffMin, backoffMax, progressInterval, d);
    }

    /** Wait before attempt {@code attempt + 1}: doubling from backoff-min, capped at backoff-max. */
    public Duration backoff(int attempt) {
        Duration d = backoffMin.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }

    public MigrateSettings withBackoff(Duration min, Duration max) {
        return new MigrateSettings(parallelism, maxAttempts, min, max, progressInterval, ackTimeout);
    }
}
