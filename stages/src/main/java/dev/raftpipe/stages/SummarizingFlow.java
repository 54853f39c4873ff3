package dev.raftpipe.stages;

import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A flow with state of its own per materialization that maps element by element and materializes a summary of the
 * state when the stream completes; a failure (the stream's, or the summary's own: it may refuse what it saw) fails
 * the summary too. Internal API.
 */
final class SummarizingFlow {
    private SummarizingFlow() {
    }

    public static <S, I, O, R> Flow<I, O, CompletionStage<R>> of(Supplier<S> create, BiFunction<S, I, O> step,
                                                                Function<S, R> summary) {
        return Flow.<I, O, CompletionStage<R>>fromMaterializer((mat, attributes) -> {
            CompletableFuture<R> done = new CompletableFuture<>();
            return Flow.<I>create()
                    .statefulMap(create::get, (state, in) -> Pair.create(state, step.apply(state, in)), state -> {
                        done.complete(summary.apply(state));
                        return Optional.<O>empty();
                    })
                    .watchTermination((notUsed, terminated) -> {
                        terminated.whenComplete((ok, failure) -> {
                            if (failure != null) {
                                done.completeExceptionally(failure);
                            }
                        });
                        return (CompletionStage<R>) done;
                    });
        }).mapMaterializedValue(nested -> nested.thenCompose(result -> result));
    }
}
