package dev.raftpipe.pipeline;

import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;

import java.io.PrintStream;
import java.util.Optional;

/** A one-line progress report on stderr, redrawn at most once a second, for work that takes a while. */
public final class Progress {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private Progress() {
    }

    /** Progress is shown only to a person at a terminal, and never with {@code --quiet}. */
    public static boolean wanted(boolean quiet) {
        return !quiet && System.console() != null;
    }

    public static Flow<WalRecord, WalRecord, NotUsed> of(String label, PrintStream err, boolean enabled) {
        if (!enabled) {
            return Flow.create();
        }
        return Flow.<WalRecord>create().statefulMap(
                () -> new Counter(label, err),
                (counter, record) -> {
                    counter.add(record);
                    return Pair.create(counter, record);
                },
                counter -> {
                    counter.done();
                    return Optional.empty();
                });
    }

    private static final class Counter {
        private final String label;
        private final PrintStream err;
        private final long start = System.nanoTime();
        private long lastShown = start;
        private long entries;
        private long bytes;
        private boolean shown;

        Counter(String label, PrintStream err) {
            this.label = label;
            this.err = err;
        }

        void add(WalRecord record) {
            if (record instanceof WalRecord.EntryRecord e) {
                entries++;
                bytes += e.entry().data().length;
                if ((entries & 1023) == 0) {
                    long now = System.nanoTime();
                    if (now - lastShown >= INTERVAL_NANOS) {
                        lastShown = now;
                        show(now);
                    }
                }
            }
        }

        void done() {
            if (shown) {
                show(System.nanoTime());
                err.println();
            }
        }

        private void show(long now) {
            double seconds = Math.max(1e-3, (now - start) / 1e9);
            err.printf("\r%s: %,d entries, %.1f MB of entry data, %.0f entries/s", label, entries, bytes / 1e6,
                    entries / seconds);
            err.flush();
            shown = true;
        }
    }
}
