package dev.raftpipe.pipeline.job;

/**
 * How a WAL is replayed after the state a backend already holds: where it stops, and whether a WAL of another
 * cluster than the backend's is accepted ({@code --allow-other-cluster}; refused by default).
 */
public record TailReplay(StopAt stop, boolean allowOtherCluster) {
    /** The whole WAL, of the backend's own cluster only. */
    public static final TailReplay WHOLE = new TailReplay(StopAt.END, false);

    public static TailReplay upTo(StopAt stop) {
        return new TailReplay(stop, false);
    }

    public TailReplay withAllowOtherCluster(boolean allow) {
        return new TailReplay(stop, allow);
    }
}
