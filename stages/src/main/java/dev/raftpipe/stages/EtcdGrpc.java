package dev.raftpipe.stages;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.AuthenticateRequest;
import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.AuthenticateResponse;
import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.SnapshotRequest;
import dev.raftpipe.codecs.internal.proto.MaintenanceProtos.SnapshotResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * The two calls of etcd's v3 API that raftpipe makes, described by hand (no generated stubs for two methods),
 * the channel to a member with etcdctl's TLS options, and etcd's gRPC errors turned into one-line messages.
 */
final class EtcdGrpc {
    /** etcd reads the auth token from this metadata key (etcdctl sends it the same way). */
    public static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    public static final MethodDescriptor<SnapshotRequest, SnapshotResponse> SNAPSHOT =
            MethodDescriptor.<SnapshotRequest, SnapshotResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("etcdserverpb.Maintenance", "Snapshot"))
                    .setRequestMarshaller(marshaller(SnapshotRequest.parser()))
                    .setResponseMarshaller(marshaller(SnapshotResponse.parser()))
                    .build();

    public static final MethodDescriptor<AuthenticateRequest, AuthenticateResponse> AUTHENTICATE =
            MethodDescriptor.<AuthenticateRequest, AuthenticateResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("etcdserverpb.Auth", "Authenticate"))
                    .setRequestMarshaller(marshaller(AuthenticateRequest.parser()))
                    .setResponseMarshaller(marshaller(AuthenticateResponse.parser()))
                    .build();

    private EtcdGrpc() {
    }

    /** A channel to the member; certificate and key files are read here, so a bad file fails before any call. */
    public static ManagedChannel channel(EndpointSettings s) throws IOException {
        URI uri = s.endpoint();
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) s.connectTimeout().toMillis())
                // etcd sends 32 KiB blobs; its own client allows messages up to 2 GiB, we need far less
                .maxInboundMessageSize(16 * 1024 * 1024);
        if (s.tls()) {
            SslContextBuilder ssl = GrpcSslContexts.forClient();
            if (s.cacert().isPresent()) {
                ssl.trustManager(PemFiles.certificates(s.cacert().get()).toArray(new X509Certificate[0]));
            }
            if (s.cert().isPresent() && s.key().isPresent()) {
                ssl.keyManager(PemFiles.privateKey(s.key().get()),
                        PemFiles.certificates(s.cert().get()).toArray(new X509Certificate[0]));
            }
            b.sslContext(ssl.build());
        } else {
            if (s.cacert().isPresent() || s.cert().isPresent()) {
                throw new IllegalArgumentException("--cacert, --cert and --key need an https:// endpoint");
            }
            b.usePlaintext();
        }
        return b.build();
    }

    /** etcd's gRPC status as one line that says what to do. */
    public static EndpointException failure(EndpointSettings s, Status status) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        String lower = description.toLowerCase(Locale.ROOT);
        String user = s.credentials().map(EndpointSettings.Credentials::user).orElse("");
        Throwable tls = sslCause(status.getCause());
        if (tls != null) {
            return new EndpointException(s.endpoint(), EndpointException.Kind.TLS, "TLS handshake failed ("
                    + oneLine(tls.getMessage()) + "); check --cacert, --cert and --key");
        }
        if (lower.contains("authentication failed") || lower.contains("invalid auth token")) {
            return new EndpointException(s.endpoint(), EndpointException.Kind.AUTHENTICATION,
                    "authentication failed for user '" + user + "'");
        }
        if (lower.contains("user name is empty") || lower.contains("user name not found")) {
            return new EndpointException(s.endpoint(), EndpointException.Kind.AUTHENTICATION,
                    "the member has auth enabled: give --user with a user that has the root role");
        }
        if (status.getCode() == Status.Code.PERMISSION_DENIED || lower.contains("permission denied")) {
            return new EndpointException(s.endpoint(), EndpointException.Kind.PERMISSION, "user '" + user
                    + "' may not take a snapshot (etcd allows it to the root role only)");
        }
        if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            // grpc's description is often just "io exception"; the cause says "Connection refused: …"
            String why = status.getCause() != null && status.getCause().getMessage() != null
                    ? oneLine(status.getCause().getMessage()) : oneLine(description);
            return new EndpointException(s.endpoint(), EndpointException.Kind.UNREACHABLE,
                    "cannot reach the member (" + why + ")");
        }
        return new EndpointException(s.endpoint(), EndpointException.Kind.STREAM,
                status.getCode() + (description.isEmpty() ? "" : ": " + oneLine(description)));
    }

    private static Throwable sslCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException
                    || c.getClass().getName().endsWith("NotSslRecordException")
                    || c instanceof CertificateException) {
                return c;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    private static <T extends MessageLite> MethodDescriptor.Marshaller<T> marshaller(Parser<T> parser) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(T value) {
                return new ByteArrayInputStream(value.toByteArray());
            }

            @Override
            public T parse(InputStream stream) {
                try {
                    return parser.parseFrom(stream);
                } catch (IOException e) {
                    throw Status.INTERNAL.withDescription("a message from the member cannot be decoded: "
                            + e.getMessage()).withCause(e).asRuntimeException();
                }
            }
        };
    }
}
