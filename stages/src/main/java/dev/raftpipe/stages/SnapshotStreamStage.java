package dev.raftpipe.stages;

import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.AuthenticateRequest;
import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.AuthenticateResponse;
import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.SnapshotRequest;
import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.SnapshotResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.util.ByteString;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * etcd's {@code Maintenance.Snapshot} stream as a source of byte chunks, with gRPC flow control tied to demand:
 * at most {@code request-ahead} messages are asked for beyond what downstream took, so the member's send
 * slows down with the consumer. With credentials, {@code Auth.Authenticate} comes first and its token goes
 * with the snapshot call. The bytes are the db and then its SHA-256, as etcd sends them; checking that
 * trailer is the consumer's job (it is what {@code etcdctl snapshot save} files hold). Each step has a deadline
 * ({@link EndpointSettings.Deadlines}): a member that accepts the connection and then says nothing fails the stage
 * instead of hanging it.
 */
final class SnapshotStreamStage
        extends AbstractGraphStageWithMaterializedValue<SourceShape<ByteString>, CompletionStage<EndpointSnapshot>> {
    private static final int SHA256_BYTES = 32;

    private final EndpointSettings settings;
    private final Outlet<ByteString> out = Outlet.create("EtcdSnapshot.out");
    private final SourceShape<ByteString> shape = SourceShape.of(out);

    public SnapshotStreamStage(EndpointSettings settings) {
        this.settings = settings;
    }

    @Override
    public SourceShape<ByteString> shape() {
        return shape;
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<EndpointSnapshot>> createLogicAndMaterializedValuePair(Attributes attrs) {
        CompletableFuture<EndpointSnapshot> done = new CompletableFuture<>();
        return Pair.create(new Logic(done), done);
    }

    private static final String FIRST_BYTE = "first-byte";
    private static final String IDLE = "idle";

    private final class Logic extends TimerGraphStageLogic {
        private final CompletableFuture<EndpointSnapshot> done;
        private final ArrayDeque<ByteString> ready = new ArrayDeque<>();
        private ManagedChannel channel;
        private ClientCall<SnapshotRequest, SnapshotResponse> call;
        private AsyncCallback<SnapshotResponse> onMessage;
        private AsyncCallback<Status> onClose;
        private AsyncCallback<String> onToken;
        private boolean closed;
        private long total = -1;
        private long received;
        private long messages;
        private long requested;
        /** When the member last had something to answer and nothing was overdue: a message, or new demand. */
        private long waitingSince = System.nanoTime();

        Logic(CompletableFuture<EndpointSnapshot> done) {
            super(shape);
            this.done = done;
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    if (!ready.isEmpty()) {
                        push(out, ready.poll());
                        if (call != null && !closed) {
                            request(1);
                        }
                    }
                    finishIfDone();
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    if (call != null && !closed) {
                        call.cancel("the consumer stopped", null);
                    }
                    done.completeExceptionally(cause);
                    completeStage();
                }
            });
        }

        @Override
        public void preStart() {
            onMessage = createAsyncCallback(this::received);
            onClose = createAsyncCallback(this::closed);
            onToken = createAsyncCallback(token -> startSnapshot(Optional.of(token)));
            scheduleOnce(FIRST_BYTE, settings.deadlines().firstByte());
            try {
                channel = EtcdGrpc.channel(settings);
            } catch (Exception e) {
                fail(e);
                return;
            }
            if (settings.credentials().isPresent()) {
                authenticate(settings.credentials().get());
            } else {
                startSnapshot(Optional.empty());
            }
        }

        private void authenticate(EndpointSettings.Credentials c) {
            ClientCall<AuthenticateRequest, AuthenticateResponse> auth = channel.newCall(EtcdGrpc.AUTHENTICATE,
                    CallOptions.DEFAULT);
            auth.start(new ClientCall.Listener<>() {
                private String token;

                @Override
                public void onMessage(AuthenticateResponse message) {
                    token = message.getToken();
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    if (status.isOk() && token != null) {
                        onToken.invoke(token);
                    } else {
                        onClose.invoke(status.isOk() ? Status.UNAUTHENTICATED.withDescription("no token") : status);
                    }
                }
            }, new Metadata());
            auth.sendMessage(AuthenticateRequest.newBuilder().setName(c.user()).setPassword(c.password()).build());
            auth.halfClose();
            auth.request(1);
        }

        private void startSnapshot(Optional<String> token) {
            Metadata headers = new Metadata();
            token.ifPresent(t -> headers.put(EtcdGrpc.TOKEN, t));
            call = channel.newCall(EtcdGrpc.SNAPSHOT, CallOptions.DEFAULT);
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(SnapshotResponse message) {
                    onMessage.invoke(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    onClose.invoke(status);
                }
            }, headers);
            call.sendMessage(SnapshotRequest.getDefaultInstance());
            call.halfClose();
            request(settings.requestAhead());
        }

        private void request(int n) {
            if (requested == messages) {
                waitingSince = System.nanoTime(); // the member had nothing to answer until now
            }
            requested += n;
            call.request(n);
        }

        @Override
        public void onTimer(Object key) {
            if (closed || done.isDone()) {
                return;
            }
            if (FIRST_BYTE.equals(key)) {
                fail(new EndpointException(settings.endpoint(), EndpointException.Kind.UNREACHABLE, "no answer "
                        + seconds(settings.deadlines().firstByte()) + " after the call started "
                        + "(raftpipe.endpoint-source.first-byte-timeout)"));
                return;
            }
            Duration idle = settings.deadlines().idle();
            Duration silent = Duration.ofNanos(System.nanoTime() - waitingSince);
            if (requested > messages && silent.compareTo(idle) >= 0) {
                fail(new EndpointException(settings.endpoint(), EndpointException.Kind.STREAM, "the member sent "
                        + "nothing for " + seconds(idle) + " after " + received + " of " + Math.max(0, total)
                        + " bytes (raftpipe.endpoint-source.idle-timeout)"));
            } else {
                scheduleOnce(IDLE, requested > messages ? idle.minus(silent) : idle);
            }
        }

        private String seconds(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }

        private void received(SnapshotResponse message) {
            int n = message.getBlob().size();
            if (total < 0) {
                total = message.getRemainingBytes() + n;
            }
            received += n;
            messages++;
            waitingSince = System.nanoTime();
            if (messages == 1) {
                cancelTimer(FIRST_BYTE);
                scheduleOnce(IDLE, settings.deadlines().idle());
            }
            ByteString chunk = ByteString.fromArrayUnsafe(message.getBlob().toByteArray());
            if (isAvailable(out) && ready.isEmpty()) {
                push(out, chunk);
                request(1);
            } else {
                ready.add(chunk);
            }
        }

        private void closed(Status status) {
            closed = true;
            if (!status.isOk()) {
                fail(EtcdGrpc.failure(settings, status));
                return;
            }
            if (total < 0 || received != total + SHA256_BYTES) {
                fail(new EndpointException(settings.endpoint(), EndpointException.Kind.STREAM,
                        "the snapshot stream ended after " + received + " bytes, " + Math.max(0, total)
                                + " + 32 announced"));
                return;
            }
            finishIfDone();
        }

        private void finishIfDone() {
            if (closed && ready.isEmpty() && !done.isDone()) {
                done.complete(new EndpointSnapshot(settings.endpoint(), total, received, messages));
                completeStage();
            }
        }

        private void fail(Throwable t) {
            done.completeExceptionally(t);
            failStage(t);
        }

        @Override
        public void postStop() {
            if (call != null && !closed) {
                call.cancel("stopped", null);
            }
            if (channel != null) {
                channel.shutdownNow();
            }
            if (!done.isDone()) {
                done.completeExceptionally(new EndpointException(settings.endpoint(), EndpointException.Kind.STREAM,
                        "the snapshot stream stopped before its end"));
            }
        }
    }
}
