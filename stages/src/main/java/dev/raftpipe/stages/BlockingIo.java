package dev.raftpipe.stages;

import org.apache.pekko.stream.Attributes;

/**
 * Where blocking work runs: one dispatcher, named in one place, which a stage's attributes can change:
 * {@code WalSource.fromDirectory(dir, settings).withAttributes(BlockingIo.dispatcher("my-io-dispatcher"))}.
 */
public final class BlockingIo {
    /** Config path of the dispatcher for files, fsync and JDBC (see reference.conf). */
    public static final String DISPATCHER = "raftpipe.blocking-dispatcher";

    private BlockingIo() {
    }

    /** The attribute naming the dispatcher a raftpipe stage runs its blocking work on (Pekko's own names the stage's). */
    public record Dispatcher(String name) implements Attributes.Attribute {
    }

    /** Attributes that run a stage's blocking work on the dispatcher at config path {@code name}. */
    public static Attributes dispatcher(String name) {
        return Attributes.apply(new Dispatcher(name));
    }

    /** The dispatcher a stage's blocking work runs on: the one its attributes name, else {@link #DISPATCHER}. */
    public static String dispatcherOf(Attributes attributes) {
        return attributes.getAttribute(Dispatcher.class).map(Dispatcher::name).orElse(DISPATCHER);
    }
}
