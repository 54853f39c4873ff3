package dev.raftpipe.pipeline;

import java.io.IOException;
import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.AbruptTerminationException;
import org.apache.pekko.stream.IOOperationIncompleteException;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.StreamDetachedException;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;

import java.io.FilterOutputStream;
import java.io.OutputStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs stream work inside an actor system that lives exactly as long as the work. */
public final class Streams {
    private Streams() {
    }

    /** Work that starts streams in a system; it may fail before any stream runs (a missing file…). */
    @FunctionalInterface
    public interface Work<T> {
        CompletionStage<T> start(ActorSystem system) throws Exception;
    }

    /** Runs work that only runs streams, in a system that starts no more than streams need. */
    public static <T> T run(Config config, Work<T> work) throws Exception {
        return runInSystem(LauncherConfig.streamsOnly(config), work);
    }

    /** Runs work in a system with every extension of the configuration (actors, cluster). */
    public static <T> T runInSystem(Config config, Work<T> work) throws Exception {
        ActorSystem system = ActorSystem.create("raftpipe", config);
        try {
            return work.start(system).toCompletableFuture().get();
        } catch (ExecutionException | CompletionException e) {
            throw unwrap(e);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(Duration.ofSeconds(30).toSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    /** A step that starts asynchronous work and may fail before it does (a file that is not there…). */
    @FunctionalInterface
    public interface Step<T> {
        CompletionStage<T> start() throws IOException;
    }

    /** The step's work, or its failure to start as a failed stage: for chaining steps with thenCompose. */
    public static <T> CompletionStage<T> starting(Step<T> step) {
        try {
            return step.start();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The source's result once the sink is done too. When the graph failed, both usually fail, one of them with
     * the real cause and the other with Pekko's report of being stopped by it (a detached or abruptly terminated
     * stage; an output stream sink's IOOperationIncompleteException wraps the source's error): the real cause is
     * the one to report, whichever end it came from.
     */
    public static <S> CompletionStage<S> sourceThenSink(CompletionStage<S> source, CompletionStage<?> sink) {
        CompletableFuture<S> src = source.toCompletableFuture();
        return allReportingRealFailure(src, sink.toCompletableFuture()).thenApply(done -> src.join());
    }

    /**
     * Completes when every stage's value has; when the graph failed, with the real cause among their failures
     * (a full disk, a corrupt record) rather than another stage's report of being stopped by it, whichever completed
     * first.
     */
    public static CompletableFuture<Void> allReportingRealFailure(CompletableFuture<?>... all) {
        CompletableFuture<?>[] settled = new CompletableFuture<?>[all.length];
        for (int i = 0; i < all.length; i++) {
            settled[i] = all[i].exceptionally(e -> null);
        }
        return CompletableFuture.allOf(settled).thenCompose(done -> {
            Throwable stopped = null;
            List<Throwable> real = new ArrayList<>();
            for (CompletableFuture<?> f : all) {
                Throwable t = failure(f);
                if (t != null && !stoppedByAnother(t)) {
                    real.add(t);
                }
                stopped = stopped == null ? t : stopped;
            }
            for (Throwable t : real) {
                // a stage that reports another's failure with more to say (a sink: how far it got) wraps it
                for (Throwable other : real) {
                    if (other != t && causes(t, other)) {
                        return CompletableFuture.failedFuture(t);
                    }
                }
            }
            Throwable chosen = real.isEmpty() ? stopped : real.get(0);
            return chosen == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(chosen);
        });
    }

    private static boolean causes(Throwable outer, Throwable inner) {
        for (Throwable c = outer.getCause(); c != null; c = c.getCause()) {
            if (c == inner) {
                return true;
            }
        }
        return false;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            Throwable t = unwrap(e);
            return t instanceof IOOperationIncompleteException io && io.getCause() != null
                    ? io.getCause() : t;
        }
    }

    /** Pekko's word that a stage stopped because another one failed, not a cause of its own. */
    private static boolean stoppedByAnother(Throwable t) {
        return t instanceof StreamDetachedException
                || t instanceof AbruptStageTerminationException
                || t instanceof AbruptTerminationException;
    }

    /**
     * Runs {@code lines} into {@code out}, which the caller owns (stdout) and which is flushed but not closed;
     * completes with the source's result, or its failure before the sink's.
     */
    public static <T> CompletionStage<T> print(Source<ByteString, CompletionStage<T>> lines, OutputStream out,
                                               ActorSystem system) {
        Pair<CompletionStage<T>, CompletionStage<IOResult>> m = lines
                .toMat(StreamConverters.fromOutputStream(() -> new FilterOutputStream(out) {
                    @Override
                    public void close() {
                        // the caller owns the stream
                    }
                }), Keep.both())
                .run(system);
        return sourceThenSink(m.first(), m.second());
    }

    /** The real cause behind the wrappers futures put around it. */
    public static Exception unwrap(Throwable t) {
        t = Failures.unwrapped(t);
        return t instanceof Exception e ? e : new RuntimeException(t);
    }
}
