package dev.raftpipe.stages;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A live etcd member to stream a snapshot from, with etcdctl's connection flags ({@code --cacert}, {@code --cert},
 * {@code --key}, {@code --user}); defaults under {@code raftpipe.endpoint-source} in reference.conf.
 * An {@code https} endpoint without {@code cacert} trusts the JDK's default authorities.
 */
public final class EndpointSettings {
    private final URI endpoint;
    private final Optional<Path> cacert;
    private final Optional<Path> cert;
    private final Optional<Path> key;
    private final Optional<Credentials> credentials;
    private final Deadlines deadlines;
    private final int requestAhead;

    /**
     * How long each step of a call may take: the connection (TLS included), the member's first message after the
     * call starts (authentication included), and the silence between two messages while more are asked for.
     */
    public record Deadlines(Duration connect, Duration firstByte, Duration idle) {
    }

    /** etcd's user and password; the password never appears in a message or a report. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    private EndpointSettings(URI endpoint, Optional<Path> cacert, Optional<Path> cert, Optional<Path> key,
                             Optional<Credentials> credentials, Deadlines deadlines, int requestAhead) {
        this.endpoint = endpoint;
        this.cacert = cacert;
        this.cert = cert;
        this.key = key;
        this.credentials = credentials;
        this.deadlines = deadlines;
        this.requestAhead = requestAhead;
    }

    /** The settings of the actor system's configuration, for the member at {@code endpoint}. */
    public static EndpointSettings create(ClassicActorSystemProvider system, URI endpoint) {
        return create(system.classicSystem().settings().config(), endpoint);
    }

    /** Reads {@code raftpipe.endpoint-source} from a full config. */
    public static EndpointSettings create(Config config, URI endpoint) {
        Config c = config.getConfig("raftpipe.endpoint-source");
        return new EndpointSettings(checked(endpoint), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), new Deadlines(c.getDuration("connect-timeout"), c.getDuration("first-byte-timeout"),
                c.getDuration("idle-timeout")), c.getInt("request-ahead"));
    }

    /**
     * {@code http://host:port} or {@code https://host:port}, as etcd's {@code --advertise-client-urls} give them; a
     * bare {@code host:port} means http, as etcdctl takes it.
     */
    public static URI parseEndpoint(String text) {
        String t = text.contains("://") ? text : "http://" + text;
        try {
            return checked(new URI(t));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint '" + text + "' is not a URL like https://10.0.0.1:2379");
        }
    }

    private static URI checked(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getPort() <= 0) {
            throw new IllegalArgumentException("endpoint '" + uri + "' must be http(s)://host:port, e.g. "
                    + "https://10.0.0.1:2379");
        }
        return uri;
    }

    public URI endpoint() {
        return endpoint;
    }

    public boolean tls() {
        return endpoint.getScheme().equalsIgnoreCase("https");
    }

    public Optional<Path> cacert() {
        return cacert;
    }

    public Optional<Path> cert() {
        return cert;
    }

    public Optional<Path> key() {
        return key;
    }

    public Optional<Credentials> credentials() {
        return credentials;
    }

    public Duration connectTimeout() {
        return deadlines.connect();
    }

    public Deadlines deadlines() {
        return deadlines;
    }

    public int requestAhead() {
        return requestAhead;
    }

    /** The CA bundle that signed the member's server certificate ({@code --cacert}). */
    public EndpointSettings withCacert(Path file) {
        return new EndpointSettings(endpoint, Optional.of(file), cert, key, credentials, deadlines, requestAhead);
    }

    /** A client certificate and its key, for a member started with {@code --client-cert-auth}. */
    public EndpointSettings withClientCertificate(Path certFile, Path keyFile) {
        return new EndpointSettings(endpoint, cacert, Optional.of(certFile), Optional.of(keyFile), credentials,
                deadlines, requestAhead);
    }

    /** etcd auth: the snapshot needs a user with the root role. */
    public EndpointSettings withCredentials(String user, String password) {
        return new EndpointSettings(endpoint, cacert, cert, key, Optional.of(new Credentials(user, password)),
                deadlines, requestAhead);
    }

    public EndpointSettings withConnectTimeout(Duration timeout) {
        return withDeadlines(new Deadlines(timeout, deadlines.firstByte(), deadlines.idle()));
    }

    public EndpointSettings withDeadlines(Deadlines d) {
        return new EndpointSettings(endpoint, cacert, cert, key, credentials, d, requestAhead);
    }

    public EndpointSettings withRequestAhead(int messages) {
        return new EndpointSettings(endpoint, cacert, cert, key, credentials, deadlines, messages);
    }
}
