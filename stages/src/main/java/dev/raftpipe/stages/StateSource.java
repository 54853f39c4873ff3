package dev.raftpipe.stages;

import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.StateCursor;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A backend's state as records (meta, members, leases, keys by key), read from one consistent snapshot. */
public final class StateSource {
    private StateSource() {
    }

    /**
     * Materializes the records read, by kind, once the source completes (a cancelled source reports what it read
     * until then); fails as the source fails.
     */
    public static Source<StateRecord, CompletionStage<StateCounts>> fromBackend(Path backend) {
        return Source.<StateRecord, CompletionStage<StateCounts>>fromMaterializer((mat, attributes) -> {
            CompletableFuture<StateCounts> counted = new CompletableFuture<>();
            StateCounts[] counts = {StateCounts.ZERO}; // one per materialization, touched by one stage
            return Source.<List<StateRecord>, Open>unfoldResource(
                            () -> Open.of(backend),
                            open -> RecordBatches.read(open.cursor::next, RecordBatches::bytes),
                            Open::close)
                    .withAttributes(ActorAttributes.dispatcher(BlockingIo.dispatcherOf(attributes)))
                    .map(batch -> {
                        // counted per batch: a stage per record costs more than the count
                        StateCounts c = counts[0];
                        for (StateRecord r : batch) {
                            c = c.plus(r);
                        }
                        counts[0] = c;
                        return batch;
                    })
                    .watchTermination((notUsed, done) -> done.whenComplete((d, failure) -> {
                        if (failure != null) {
                            counted.completeExceptionally(failure);
                        } else {
                            counted.complete(counts[0]);
                        }
                    }))
                    .<StateRecord>mapConcat(batch -> batch)
                    .mapMaterializedValue(notUsed -> (CompletionStage<StateCounts>) counted);
        }).mapMaterializedValue(nested -> nested.thenCompose(c -> c));
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
