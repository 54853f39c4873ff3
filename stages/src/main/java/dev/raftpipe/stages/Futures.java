package dev.raftpipe.stages;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting on a future from blocking code, with its own exception rather than a wrapper. */
final class Futures {
    private Futures() {
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
