package dev.raftpipe.stages;

import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import java.util.concurrent.CompletionStage;

/**
 * A running etcd member as a source: its backend streamed over the Maintenance API, exactly the bytes
 * {@code etcdctl snapshot save} writes (the db, then its SHA-256). Spool them to a file and read that with
 * {@link DbSource} (trailer check {@code REQUIRED}); the member keeps serving while it sends.
 */
public final class EndpointSource {
    private EndpointSource() {
    }

    /**
     * The snapshot's bytes with backpressure down to the member (gRPC flow control). Fails with an
     * {@link EndpointException} naming the endpoint: unreachable, TLS or credentials refused, stream cut short.
     */
    public static Source<ByteString, CompletionStage<EndpointSnapshot>> snapshot(EndpointSettings settings) {
        return Source.fromGraph(new SnapshotStreamStage(settings));
    }
}
