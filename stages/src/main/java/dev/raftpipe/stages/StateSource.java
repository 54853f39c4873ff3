package dev.raftpipe.stages;

import dev.raftpipe.codecs.archive.StateRecord;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.StateCursor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;
import dev.raftpipe.stages.internal.RecordBatches;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A backend's state as records (meta, members, leases, keys by key), read from one consistent snapshot. */
public final class StateSource {
    private StateSource() {
    }

    public static Source<StateRecord, NotUsed> fromBackend(Path backend) {
        return Source.<List<StateRecord>, Open>unfoldResource(
                        () -> Open.of(backend),
                        open -> RecordBatches.read(open.cursor::next, RecordBatches::bytes),
                        Open::close)
                .withAttributes(ActorAttributes.dispatcher(BlockingIo.DISPATCHER))
                .mapConcat(batch -> batch);
    }

    private record Open(BackendSnapshot snapshot, StateCursor cursor) {
        static Open of(Path backend) {
            BackendSnapshot snapshot = Backend.snapshot(backend);
            return new Open(snapshot, snapshot.stateRecords());
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
