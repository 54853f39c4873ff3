package dev.raftpipe.stages;

import java.net.URI;

/**
 * What {@link EndpointSource#snapshot} streamed: the db's size as the member announced it and the bytes
 * received, which are the db followed by its 32-byte SHA-256 (an {@code etcdctl snapshot save} file's bytes).
 */
public record EndpointSnapshot(URI endpoint, long dbBytes, long bytesReceived, long messages) {
}
