package dev.raftpipe.stages;

import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.SnapshotResponse;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot stream's deadlines against a gRPC server that speaks etcd's Maintenance.Snapshot and then stalls:
 * after its first message, and before any. A consumer that asks for nothing is not a stalled member.
 */
class EndpointDeadlinesTest extends StreamTestSupport {
    private static final int BLOB = 32 * 1024;

    /** A member that sends {@code messages} blobs of a larger snapshot and then nothing, keeping the call open. */
    private static Server stallingAfter(int messages) throws Exception {
        ServerServiceDefinition maintenance = ServerServiceDefinition.builder("etcdserverpb.Maintenance")
                .addMethod(EtcdGrpc.SNAPSHOT, ServerCalls.asyncServerStreamingCall((request, observer) -> {
                    for (int i = 0; i < messages; i++) {
                        observer.onNext(SnapshotResponse.newBuilder()
                                .setBlob(com.google.protobuf.ByteString.copyFrom(new byte[BLOB]))
                                .setRemainingBytes(100L * BLOB).build());
                    }
                }))
                .build();
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(maintenance).build()
                .start();
    }

    private static EndpointSettings settings(Server server, Duration firstByte, Duration idle) {
        return EndpointSettings.create(system, URI.create("http://127.0.0.1:" + server.getPort()))
                .withDeadlines(new EndpointSettings.Deadlines(Duration.ofSeconds(10), firstByte, idle));
    }

    @Test
    void aMemberSilentAfterItsFirstMessageFailsAtTheIdleDeadline() throws Exception {
        Server server = stallingAfter(1);
        try {
            CompletionStage<EndpointSnapshot> snapshot = EndpointSource.snapshot(
                    settings(server, Duration.ofSeconds(30), Duration.ofMillis(1500))).to(Sink.ignore()).run(system);
            Throwable failure = failureOf(snapshot);
            assertTrue(failure instanceof EndpointException, String.valueOf(failure));
            assertEquals(EndpointException.Kind.STREAM, ((EndpointException) failure).kind());
            assertTrue(failure.getMessage().contains("sent nothing for 1500 ms after " + BLOB + " of "
                    + 101L * BLOB + " bytes (raftpipe.endpoint-source.idle-timeout)"), failure.getMessage());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aMemberThatNeverSendsFailsAtTheFirstByteDeadline() throws Exception {
        Server server = stallingAfter(0);
        try {
            CompletionStage<EndpointSnapshot> snapshot = EndpointSource.snapshot(
                    settings(server, Duration.ofSeconds(1), Duration.ofSeconds(30))).to(Sink.ignore()).run(system);
            Throwable failure = failureOf(snapshot);
            assertEquals(EndpointException.Kind.UNREACHABLE, ((EndpointException) failure).kind());
            assertTrue(failure.getMessage().contains("no answer 1 s after the call started"), failure.getMessage());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aConsumerThatAsksForNothingIsNotAStalledMember() throws Exception {
        Server server = stallingAfter(3);
        try {
            // the consumer takes nothing for three idle periods, then cancels: the stage must not have failed
            CompletionStage<EndpointSnapshot> snapshot = EndpointSource.snapshot(
                            settings(server, Duration.ofSeconds(30), Duration.ofMillis(500))
                                    .withRequestAhead(3))
                    .initialDelay(Duration.ofMillis(1800))
                    .take(3)
                    .to(Sink.ignore()).run(system);
            Throwable failure = failureOf(snapshot);
            assertTrue(!(failure instanceof EndpointException), "no deadline passed while nothing was asked for: "
                    + failure);
        } finally {
            server.shutdownNow();
        }
    }
}
