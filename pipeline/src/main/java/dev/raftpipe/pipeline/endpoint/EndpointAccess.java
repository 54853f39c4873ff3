package dev.raftpipe.pipeline.endpoint;

import com.typesafe.config.Config;
import dev.raftpipe.stages.EndpointSettings;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to reach a live member, as a flag set or a plan entry gives it: one place for etcdctl's rules, so
 * {@code seal --endpoint} and a plan's {@code source = "https://…"} behave alike.
 *
 * @param user         {@code name} or {@code name:password}, as etcdctl's {@code --user}
 * @param passwordFile the password, when {@code user} holds none (one line; a trailing newline is ignored)
 */
public record EndpointAccess(String endpoint, Optional<Path> cacert, Optional<Path> cert, Optional<Path> key,
                             Optional<String> user, Optional<Path> passwordFile) {

    /** Whether a plan's or a command's source names a member rather than a path. */
    public static boolean isEndpoint(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    /** The stage settings; a bad combination is an {@link IllegalArgumentException} saying which flags. */
    public EndpointSettings settings(Config config) throws IOException {
        EndpointSettings s = EndpointSettings.create(config, EndpointSettings.parseEndpoint(endpoint));
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("--cert and --key go together (a client certificate and its key)");
        }
        if (!s.tls() && (cacert.isPresent() || cert.isPresent())) {
            throw new IllegalArgumentException("--cacert, --cert and --key need an https:// endpoint");
        }
        for (Optional<Path> f : List.of(cacert, cert, key)) {
            if (f.isPresent() && !Files.isRegularFile(f.get())) {
                throw new NoSuchFileException(f.get().toString(), null, "no such file");
            }
        }
        if (cacert.isPresent()) {
            s = s.withCacert(cacert.get());
        }
        if (cert.isPresent()) {
            s = s.withClientCertificate(cert.get(), key.get());
        }
        if (user.isPresent()) {
            String u = user.get();
            int colon = u.indexOf(':');
            if (colon >= 0 && passwordFile.isPresent()) {
                throw new IllegalArgumentException("--user name:password and --password-file: give the password once");
            }
            if (colon >= 0) {
                s = s.withCredentials(u.substring(0, colon), u.substring(colon + 1));
            } else {
                s = s.withCredentials(u, password());
            }
        } else if (passwordFile.isPresent()) {
            throw new IllegalArgumentException("--password-file goes with --user");
        }
        return s;
    }

    private String password() throws IOException {
        if (passwordFile.isPresent()) {
            if (!Files.isRegularFile(passwordFile.get())) {
                throw new NoSuchFileException(passwordFile.get().toString(), null, "password file not found");
            }
            return Files.readString(passwordFile.get(), StandardCharsets.UTF_8).stripTrailing();
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("--user " + user.orElse("") + " needs a password: name:password, "
                    + "--password-file, or a terminal to type it at");
        }
        char[] typed = console.readPassword("Password: ");
        return typed == null ? "" : new String(typed);
    }
}
