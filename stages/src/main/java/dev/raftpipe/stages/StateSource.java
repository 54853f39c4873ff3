package dev.raftpipe.stages;

import dev.raftpipe.codecs.archive.StateRecord;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.StateCursor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A backend's state as records (meta, members, leases, keys by key), read from one consistent snapshot. */
public final class StateSource {
    private StateSource() {
    }

    /** Records cross from the reader (on the blocking dispatcher) to the stages after it in batches of this many… */
    private static final int BATCH_RECORDS = 1024;
    /** …or of about this many bytes of keys and values, whichever comes first: one element per record crossing
     * that boundary cost more than SQLite's read itself (a 150 000-key backend: 0.85 s against 0.3 s). */
    private static final int BATCH_BYTES = 1 << 20;

    public static Source<StateRecord, NotUsed> fromBackend(Path backend) {
        return Source.<List<StateRecord>, Open>unfoldResource(
                        () -> Open.of(backend),
                        Open::nextBatch,
                        Open::close)
                .withAttributes(ActorAttributes.dispatcher(BlockingIo.DISPATCHER))
                .mapConcat(batch -> batch);
    }

    private record Open(BackendSnapshot snapshot, StateCursor cursor) {
        static Open of(Path backend) {
            BackendSnapshot snapshot = Backend.snapshot(backend);
            return new Open(snapshot, snapshot.stateRecords());
        }

        Optional<List<StateRecord>> nextBatch() {
            List<StateRecord> batch = new ArrayList<>();
            long bytes = 0;
            while (batch.size() < BATCH_RECORDS && bytes < BATCH_BYTES) {
                StateRecord r = cursor.next();
                if (r == null) {
                    break;
                }
                batch.add(r);
                bytes += r instanceof StateRecord.KeyValue kv ? kv.key().length + kv.value().length : 64;
            }
            return batch.isEmpty() ? Optional.empty() : Optional.of(batch);
        }

        void close() {
            try {
                cursor.close();
            } finally {
                snapshot.close();
            }
        }
    }
}
