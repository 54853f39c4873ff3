package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.migrate.journal.JobStatus;

import java.io.PrintStream;

/**
 * Progress of a migration on stderr: a line per cluster as it ends, and an overall line redrawn
 * while work runs. Silent when disabled (not a terminal, or --quiet).
 */
public final class MigrationProgress {
    private final PrintStream err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private int total;
    private int done;
    private int failed;
    private long bytes;
    private boolean lineOpen;

    public MigrationProgress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void begin(int clusters, int skipped) {
        total = clusters;
        done = skipped;
        if (enabled && skipped > 0) {
            err.printf("migrate: %d of %d clusters finished in an earlier run; skipping them%n", skipped, clusters);
        }
    }

    void finished(ClusterReport r, int running) {
        done++;
        bytes += r.bytes();
        if (r.status() != JobStatus.SUCCEEDED) {
            failed++;
        }
        if (enabled) {
            clear();
            if (r.status() == JobStatus.SUCCEEDED) {
                err.printf("  %-24s succeeded  %,d entries, %.1f MB in %.1f s%n", r.name(), r.entries(), r.bytes() / 1e6,
                        r.durationMillis() / 1e3);
            } else {
                err.printf("  %-24s %s: %s%n", r.name(), r.status().label(), r.error());
            }
            tick(running);
        }
    }

    void note(String line) {
        if (enabled) {
            clear();
            err.println("  " + line);
        }
    }

    void tick(int running) {
        if (!enabled) {
            return;
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        err.printf("\rmigrate: %d/%d clusters done (%d failed), %d running, %.1f MB, %.1f MB/s, %.0f s", done, total,
                failed, running, bytes / 1e6, bytes / 1e6 / seconds, seconds);
        err.flush();
        lineOpen = true;
    }

    void end() {
        if (enabled && lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    private void clear() {
        if (lineOpen) {
            err.print("\r\033[K");
            lineOpen = false;
        }
    }
}
