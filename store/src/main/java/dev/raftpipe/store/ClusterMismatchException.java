package dev.raftpipe.store;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.raft.NodeIds;

import java.nio.file.Path;

/** A WAL of one etcd cluster offered to a backend that holds another's: their indexes mean different things. */
public final class ClusterMismatchException extends VerificationException {
    private static final long serialVersionUID = 1L;

    public ClusterMismatchException(Path backend, long backendCluster, long walCluster) {
        super("the WAL belongs to cluster " + NodeIds.hex(walCluster) + ", but " + backend + " holds cluster "
                + NodeIds.hex(backendCluster) + ": refusing to mix two clusters (--allow-other-cluster to apply it anyway)");
    }
}
