package dev.raftpipe.stages;

/** Where blocking work runs: one dispatcher, named in one place. */
public final class BlockingIo {
    /** Config path of the dispatcher for files, fsync and JDBC (see reference.conf). */
    public static final String DISPATCHER = "raftpipe.blocking-dispatcher";

    private BlockingIo() {
    }
}
