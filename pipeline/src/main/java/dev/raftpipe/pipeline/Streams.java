package dev.raftpipe.pipeline;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;

import java.io.FilterOutputStream;
import java.io.OutputStream;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

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
                    java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * The source's result once the sink is done too. A failing source also fails the sink (an output stream
     * sink reports {@code IOOperationIncompleteException}), so the source's own failure is the one to report;
     * the sink's failure counts only when the source succeeded.
     */
    public static <S> CompletionStage<S> sourceThenSink(CompletionStage<S> source, CompletionStage<?> sink) {
        return sink.exceptionally(e -> null).thenCompose(ignored -> source).thenCombine(sink, (s, k) -> s);
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
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception e ? e : new RuntimeException(t);
    }
}
