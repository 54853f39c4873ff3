package dev.raftpipe.stages;

import java.io.IOException;
import java.net.URI;

/**
 * A live member could not be reached, refused the connection or the credentials, or cut the snapshot stream.
 * The message is one line naming the endpoint and what to do about it; the password never appears.
 */
public final class EndpointException extends IOException {
    /** Why, so callers can tell a refused credential from a network failure. */
    public enum Kind { UNREACHABLE, TLS, AUTHENTICATION, PERMISSION, STREAM }

    private final URI endpoint;
    private final Kind kind;

    public EndpointException(URI endpoint, Kind kind, String message) {
        super(endpoint + ": " + message);
        this.endpoint = endpoint;
        this.kind = kind;
    }

    public URI endpoint() {
        return endpoint;
    }

    public Kind kind() {
        return kind;
    }
}
