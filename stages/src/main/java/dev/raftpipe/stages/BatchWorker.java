package dev.raftpipe.stages;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Blocking work behind a sink: batches go to the worker one at a time on the blocking dispatcher
 * (mapAsync(1) behind a one-batch buffer, so the next batch fills while one is written, then backpressures), and when the
 * stream ends, successfully or not, the worker finishes there too and gives the materialized value.
 */
interface BatchWorker<T, R> {
    void accept(List<T> batch);

    /** Publishes and reports, or, given the stream's failure, cleans up and rethrows it. */
    R finish(Throwable failure);

    static <T, R> Sink<T, CompletionStage<R>> sink(Flow<T, List<T>, NotUsed> batching,
                                                   Function<Executor, BatchWorker<T, R>> worker) {
        return Sink.<T, CompletionStage<R>>fromMaterializer((mat, attributes) -> {
            Executor blocking = mat.system().dispatchers().lookup(BlockingIo.dispatcherOf(attributes));
            BatchWorker<T, R> w = worker.apply(blocking);
            return batching
                    // mapAsync(1) pulls only once its batch is done: without this slot the next batch would not
                    // fill (upstream idle) while the worker writes one
                    .buffer(1, OverflowStrategy.backpressure())
                    .mapAsync(1, batch -> CompletableFuture.supplyAsync(() -> {
                        w.accept(batch);
                        return Done.getInstance();
                    }, blocking))
                    .toMat(Sink.ignore(), Keep.right())
                    .mapMaterializedValue(done -> done.handleAsync((ok, failure) -> w.finish(failure), blocking));
        }).mapMaterializedValue(nested -> nested.thenCompose(result -> result));
    }
}
