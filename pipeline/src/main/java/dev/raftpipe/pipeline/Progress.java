package dev.raftpipe.pipeline;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.codecs.wal.WalExtent;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A one-line progress report on stderr, redrawn at most once a second: records and bytes done, the rate,
 * and, when the source's size is known, how far along and an ETA.
 *
 * <p>Sizes are in the payload's units: WAL records count their bytes in the WAL (estimated from the entry
 * data, since decoding dropped the framing), key revisions their bytes in the db (likewise estimated: the
 * {@code key} bucket is most of an etcd db), state records count one each. A replay into a backend that already holds
 * some of the WAL reads those entries only to skip them, far faster than it applies the rest: they are left out of
 * the work, so the share done and the ETA measure what is left to apply.
 */
public final class Progress {
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    /** Frame header, padding and the protobuf fields around an entry's data, on average. */
    private static final int WAL_RECORD_OVERHEAD = 40;
    /** A stored revision's key (17 bytes), leaf element header and the KeyValue fields around key and value. */
    private static final int KEY_REVISION_OVERHEAD = 48;

    private Progress() {
    }

    /** Progress is shown only to a person at a terminal, and never with {@code --quiet}. */
    public static boolean wanted(boolean quiet) {
        return !quiet && System.console() != null;
    }

    /** Progress over a WAL directory's records, with an ETA from the directory's size; a no-op unless enabled. */
    public static Flow<WalRecord, WalRecord, NotUsed> ofWal(String label, Path walDir, boolean enabled) {
        return ofWal(label, walDir, () -> 0L, enabled);
    }

    /**
     * Progress over a WAL directory's records replayed into a backend whose applied index ({@code alreadyApplied},
     * asked only when enabled) makes the replay skip the entries up to it; a no-op unless enabled.
     */
    public static Flow<WalRecord, WalRecord, NotUsed> ofWal(String label, Path walDir, LongSupplier alreadyApplied,
                                                            boolean enabled) {
        if (!enabled) {
            return Flow.create();
        }
        long applied = alreadyApplied.getAsLong();
        OptionalLong size = WalExtent.bytes(walDir);
        return metered(() -> new Meter(label, Payload.WAL_RECORDS, size, System.err, System.nanoTime(), applied,
                System::nanoTime));
    }

    /** Progress over state records of unknown count (no ETA); a no-op unless enabled. */
    public static Flow<StateRecord, StateRecord, NotUsed> ofState(String label, boolean enabled) {
        return enabled ? of(label, Payload.STATE_RECORDS, OptionalLong.empty(), System.err) : Flow.create();
    }

    /** Progress over state records, with an ETA from {@code size}, asked only when enabled; a no-op unless enabled. */
    public static Flow<StateRecord, StateRecord, NotUsed> ofState(String label, Supplier<OptionalLong> size,
                                                                  boolean enabled) {
        return enabled ? of(label, Payload.STATE_RECORDS, size.get(), System.err) : Flow.create();
    }

    /** Progress over a byte stream of unknown size (a member's snapshot); a no-op unless enabled. */
    public static Flow<ByteString, ByteString, NotUsed> ofBytes(String label, boolean enabled) {
        return enabled ? of(label, null, OptionalLong.empty(), System.err) : Flow.create();
    }

    /** Bytes moved outside a stream (an object uploaded or downloaded), counted as they go. */
    public interface Transfer {
        Transfer NONE = new Transfer() {
            @Override
            public void add(long bytes) {
            }

            @Override
            public void done() {
            }
        };

        void add(long bytes);

        /** The last line, when a line was drawn. */
        void done();
    }

    /** Progress of a transfer of {@code size} bytes when known (an ETA then); {@link Transfer#NONE} unless enabled. */
    public static Transfer ofTransfer(String label, OptionalLong size, boolean enabled) {
        if (!enabled) {
            return Transfer.NONE;
        }
        Meter meter = new Meter(label, null, size, System.err, System.nanoTime());
        return new Transfer() {
            @Override
            public synchronized void add(long bytes) {
                meter.addBytes(bytes);
            }

            @Override
            public synchronized void done() {
                meter.done();
            }
        };
    }

    /** {@code payload} null: the elements are bytes, counted as such. */
    public static <T> Flow<T, T, NotUsed> of(String label, Payload payload, OptionalLong size, PrintStream err) {
        return metered(() -> new Meter(label, payload, size, err, System.nanoTime()));
    }

    private static <T> Flow<T, T, NotUsed> metered(Supplier<Meter> create) {
        return Flow.<T>create().statefulMap(
                create::get,
                (meter, element) -> {
                    meter.add(element);
                    return Pair.create(meter, element);
                },
                meter -> {
                    meter.done();
                    return Optional.empty();
                });
    }

    static final class Meter {
        private final String label;
        private final Payload payload;
        private final OptionalLong size;
        private final PrintStream err;
        private final long alreadyApplied;
        private final LongSupplier clock;
        private long start;
        private long lastShown;
        private long records;
        private long bytes;
        private long units;
        private long seen;
        private boolean shown;
        /** Whether the WAL's entries past {@code alreadyApplied} have begun; until then records are skipped. */
        private boolean working;
        private long skippedEntries;
        private long skippedUnits;

        Meter(String label, Payload payload, OptionalLong size, PrintStream err, long start) {
            this(label, payload, size, err, start, 0, System::nanoTime);
        }

        Meter(String label, Payload payload, OptionalLong size, PrintStream err, long start, long alreadyApplied,
              LongSupplier clock) {
            this.start = start;
            this.lastShown = start;
            this.label = label;
            this.payload = payload;
            this.size = size;
            this.err = err;
            this.alreadyApplied = alreadyApplied;
            this.clock = clock;
            this.working = payload != Payload.WAL_RECORDS || alreadyApplied <= 0;
        }

        void add(Object element) {
            if (!working && skipped(element)) {
                return;
            }
            if (element instanceof ByteString chunk) {
                records++;
                bytes += chunk.size();
                units += chunk.size();
            } else if (element instanceof KeyRevision r) {
                int data = r.kv().key().length + r.kv().value().length;
                records++;
                bytes += data;
                units += data + KEY_REVISION_OVERHEAD;
            } else if (payload == Payload.WAL_RECORDS) {
                int data = element instanceof WalRecord.EntryRecord e ? e.entry().data().length : 0;
                units += data + WAL_RECORD_OVERHEAD;
                if (element instanceof WalRecord.EntryRecord) {
                    records++;
                    bytes += data;
                }
            } else {
                records++;
                units++;
                if (element instanceof StateRecord.KeyValue kv) {
                    bytes += kv.key().length + kv.value().length;
                }
            }
            tick();
        }

        void addBytes(long n) {
            records++;
            bytes += n;
            units += n;
            tick();
        }

        /** A record of the WAL before the first entry past the applied index is skipped work, not done work. */
        private boolean skipped(Object element) {
            if (element instanceof WalRecord.EntryRecord e && e.entry().index() > alreadyApplied) {
                working = true;
                start = clock.getAsLong(); // the rate and the ETA are of applying, not of skipping
                return false;
            }
            int data = element instanceof WalRecord.EntryRecord e ? e.entry().data().length : 0;
            skippedUnits += data + WAL_RECORD_OVERHEAD;
            if (element instanceof WalRecord.EntryRecord) {
                skippedEntries++;
            }
            tick();
            return true;
        }

        private void tick() {
            if ((++seen & 255) == 0) { // the clock is read every 256 elements only
                long now = clock.getAsLong();
                if (now - lastShown >= INTERVAL_NANOS) {
                    lastShown = now;
                    show(now);
                }
            }
        }

        void done() {
            if (shown) {
                err.println(line(clock.getAsLong(), true));
                err.flush();
            }
        }

        private void show(long now) {
            err.print(line(now, false));
            err.flush();
            shown = true;
        }

        /** The line as it stands at {@code now} (nanoTime), starting with a carriage return. */
        String line(long now, boolean finished) {
            double seconds = Math.max(1e-3, (now - start) / 1e9);
            String noun = payload == Payload.WAL_RECORDS ? "entries" : payload == Payload.KEY_REVISIONS ? "revisions"
                    : "records";
            StringBuilder line = new StringBuilder(payload == null
                    ? String.format("\r%s: %.1f MB, %.1f MB/s", label, bytes / 1e6, bytes / 1e6 / seconds)
                    : String.format("\r%s: %,d %s, %.1f MB, %,.0f %s/s", label, records, noun, bytes / 1e6,
                    records / seconds, noun));
            if (skippedEntries > 0) {
                line.append(String.format(", %,d already applied", skippedEntries));
            }
            if (finished) {
                // no duration of its own: the report's "took" counts the whole command, this line only the stream
                line.append(", done");
            } else if (size.isPresent() && size.getAsLong() - skippedUnits > 0 && units > 0) {
                double fraction = Math.min(1.0, (double) units / (size.getAsLong() - skippedUnits));
                long left = Math.round(seconds * (1 - fraction) / fraction);
                line.append(String.format(", %d%%, ETA %d:%02d", Math.round(fraction * 100), left / 60, left % 60));
            }
            return line.append("   ").toString(); // covers the end of a longer line drawn before
        }
    }
}
