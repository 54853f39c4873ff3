package dev.raftpipe.pipeline.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.raftpipe.pipeline.endpoint.EndpointAccess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One cluster of a plan with its defaults merged in and every path made absolute, so that it means
 * the same on any node of a Pekko Cluster. {@code settings} holds every key of the cluster's block.
 * When the source is a running member, {@link #endpoint()} says how to reach it and {@code source} is not a path.
 */
public record ClusterSpec(String name, JobKind job, Path source, Path target, Config settings) {

    /** Identifies the settings: a finished cluster whose entry changed runs again. */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(toText().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec as one line of JSON, how it travels to a worker. */
    public String toText() {
        return settings.root().render(ConfigRenderOptions.concise().setJson(true));
    }

    public static ClusterSpec fromText(String text) {
        Config c = ConfigFactory.parseString(text);
        JobKind job = JobKind.of(c.getString("job")).orElseThrow(() -> new IllegalArgumentException(
                "unknown job " + c.getString("job")));
        return new ClusterSpec(c.getString("name"), job, Path.of(c.getString("source")), Path.of(c.getString("target")), c);
    }

    /** The running member a seal or replay job reads, when the source is one ({@code https://host:port}). */
    public Optional<EndpointAccess> endpoint() {
        String source = settings.getString("source");
        if (!EndpointAccess.isEndpoint(source)) {
            return Optional.empty();
        }
        return Optional.of(new EndpointAccess(source, optionalPath("cacert"),
                optionalPath("cert"), optionalPath("key"),
                has("user") ? Optional.of(settings.getString("user")) : Optional.empty(),
                optionalPath("password-file")));
    }

    private Optional<Path> optionalPath(String key) {
        return has(key) ? Optional.of(path(key)) : Optional.empty();
    }

    public boolean has(String key) {
        return settings.hasPath(key);
    }

    public Path path(String key) {
        return Path.of(settings.getString(key));
    }

    public boolean flag(String key, boolean fallback) {
        return settings.hasPath(key) ? settings.getBoolean(key) : fallback;
    }
}
