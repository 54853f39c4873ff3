package dev.raftpipe.pipeline.location;

import com.typesafe.config.Config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How raftpipe talks to S3-compatible storage ({@code raftpipe.s3} in reference.conf). Credentials are never a
 * setting: they come from the SDK's default chain (environment, profile, web identity, instance metadata).
 *
 * @param endpoint        the store's URL; empty: {@code AWS_ENDPOINT_URL_S3}, then {@code AWS_ENDPOINT_URL}, then AWS
 * @param region          empty: the SDK's region chain, else {@code us-east-1} (what S3-compatible stores accept)
 * @param pathStyle       {@code auto}: path-style when the endpoint's host is an IP address or {@code localhost}
 * @param checksumsWhenRequired request checksums only where the operation requires one: since SDK 2.30 the default
 *                        ("when supported") sends trailers many S3-compatible stores refuse
 * @param serverSideEncryption empty, {@code AES256} or {@code aws:kms} (with {@code kmsKeyId}, or the bucket's key)
 * @param partBytes       the first parts' size; it doubles every 1 000 parts, so 10 000 parts are never reached
 * @param partsInFlight   parts uploaded at once: memory is about {@code (partsInFlight + 1) × partBytes}
 * @param staleUploadAge  an unfinished upload of raftpipe's to the same key older than this is aborted
 * @param stagingDir      where an object is spooled when the work needs a local file; empty: java.io.tmpdir
 */
public record S3Settings(Optional<URI> endpoint, Optional<String> region, Optional<Boolean> pathStyle,
                         boolean checksumsWhenRequired, Optional<String> serverSideEncryption,
                         Optional<String> kmsKeyId, long partBytes, int partsInFlight, Duration staleUploadAge,
                         Path stagingDir) {
    /** S3's smallest part but the last. */
    public static final long MIN_PART_BYTES = 5L << 20;

    public S3Settings {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("raftpipe.s3.part-size must be at least 5 MiB (S3's smallest part), not "
                    + partBytes + " bytes");
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("raftpipe.s3.parts-in-flight must be at least 1");
        }
        serverSideEncryption.ifPresent(sse -> {
            if (!sse.equals("AES256") && !sse.equals("aws:kms")) {
                throw new IllegalArgumentException("raftpipe.s3.server-side-encryption is AES256 or aws:kms, not " + sse);
            }
        });
    }

    public static S3Settings create(Config config) {
        return create(config, System.getenv());
    }

    static S3Settings create(Config config, Map<String, String> env) {
        Config c = config.getConfig("raftpipe.s3");
        String endpoint = c.getString("endpoint");
        if (endpoint.isEmpty()) {
            endpoint = env.getOrDefault("AWS_ENDPOINT_URL_S3", env.getOrDefault("AWS_ENDPOINT_URL", ""));
        }
        String pathStyle = c.getString("path-style");
        String staging = c.getString("staging-dir");
        return new S3Settings(endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint)),
                nonEmpty(c.getString("region")),
                pathStyle.equals("auto") ? Optional.empty() : Optional.of(Boolean.parseBoolean(pathStyle)),
                c.getString("request-checksums").equals("when-required"),
                nonEmpty(c.getString("server-side-encryption")), nonEmpty(c.getString("kms-key-id")),
                c.getBytes("part-size"), c.getInt("parts-in-flight"), c.getDuration("stale-upload-age"),
                Path.of(staging.isEmpty() ? System.getProperty("java.io.tmpdir") : staging));
    }

    public S3Settings withEndpoint(URI uri) {
        return new S3Settings(Optional.of(uri), region, pathStyle, checksumsWhenRequired, serverSideEncryption,
                kmsKeyId, partBytes, partsInFlight, staleUploadAge, stagingDir);
    }

    public S3Settings withPartBytes(long bytes) {
        return new S3Settings(endpoint, region, pathStyle, checksumsWhenRequired, serverSideEncryption, kmsKeyId,
                bytes, partsInFlight, staleUploadAge, stagingDir);
    }

    public S3Settings withStaleUploadAge(Duration age) {
        return new S3Settings(endpoint, region, pathStyle, checksumsWhenRequired, serverSideEncryption, kmsKeyId,
                partBytes, partsInFlight, age, stagingDir);
    }

    /** Path-style addressing as set, else when the endpoint is an IP address or localhost (no bucket DNS there). */
    public boolean usesPathStyle() {
        return pathStyle.orElseGet(() -> endpoint.map(URI::getHost).map(h -> h.equals("localhost")
                || h.matches("[0-9.]+") || h.startsWith("[")).orElse(false));
    }

    /** The size of part {@code number} (from 1): doubling every 1 000 parts, within S3's 5 GiB. */
    public long partBytes(int number) {
        int doublings = Math.min(10, (number - 1) / 1000);
        return Math.min(5L << 30, partBytes << doublings);
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
