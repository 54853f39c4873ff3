package dev.raftpipe.pipeline.migrate;

/** Marks the messages that cross nodes of a Pekko Cluster; bound to Jackson CBOR in reference.conf. */
public interface ClusterMessage {
}
