package dev.raftpipe.pipeline.location;

import dev.raftpipe.pipeline.Progress;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The objects raftpipe reads and writes in one S3-compatible store: existence checks, whole-object reads, small puts
 * and streamed multipart uploads, each failure one line naming the object's URL. Thread-safe; close it when done.
 */
public final class S3Objects implements AutoCloseable {
    /** Set on every object raftpipe uploads in parts: the host and process that wrote it. */
    static final String UPLOADER_METADATA = "raftpipe-upload";

    private final S3Client s3;
    private final S3Settings settings;

    private S3Objects(S3Client s3, S3Settings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    public static S3Objects open(S3Settings settings) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(settings.region().map(Region::of).orElseGet(S3Objects::regionFromChain))
                .forcePathStyle(settings.usesPathStyle())
                // one signature over each part, not one per 128 KiB chunk (aws-chunked), which stores check slowly
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        settings.endpoint().ifPresent(b::endpointOverride);
        if (settings.checksumsWhenRequired()) {
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return new S3Objects(b.build(), settings);
    }

    private static Region regionFromChain() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            return Region.US_EAST_1; // S3-compatible stores take any; AWS redirects
        }
    }

    public S3Settings settings() {
        return settings;
    }

    /** The object's metadata, or empty when there is none at the key. */
    public Optional<HeadObjectResponse> head(ObjectUrl url) throws IOException {
        return call(url, "looking it up", () -> {
            try {
                return Optional.of(s3.headObject(r -> r.bucket(url.bucket()).key(url.key())));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /**
     * Refuses an object that is already there, before any work is done (a write never replaces one unasked), and a
     * bucket that is not (a HEAD of a key cannot tell a missing bucket from a missing key).
     */
    public void refuseExisting(ObjectUrl url, String why) throws IOException {
        if (head(url).isPresent()) {
            throw new FileAlreadyExistsException(url.toString(), null, why);
        }
        call(url, "looking up its bucket", () -> s3.headBucket(r -> r.bucket(url.bucket())));
    }

    /** Copies the whole object into {@code out}. */
    public void copyTo(ObjectUrl url, OutputStream out) throws IOException {
        copyTo(url, size -> out);
    }

    /** The same into the stream {@code into} gives once the object's size is known (-1 if not said: for progress). */
    public void copyTo(ObjectUrl url, LongFunction<OutputStream> into) throws IOException {
        call(url, "reading it", () -> {
            GetObjectRequest request = GetObjectRequest.builder().bucket(url.bucket()).key(url.key()).build();
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
                Long size = in.response().contentLength();
                in.transferTo(into.apply(size == null ? -1 : size));
                return null;
            } catch (NoSuchKeyException e) {
                throw new NoSuchFileException(url.toString(), null, "no such object");
            }
        });
    }

    /** Writes a small object whole; without {@code replace} only where there is none ({@code If-None-Match: *}). */
    public void put(ObjectUrl url, byte[] bytes, boolean replace) throws IOException {
        call(url, "writing it", () -> {
            PutObjectRequest.Builder r = PutObjectRequest.builder().bucket(url.bucket()).key(url.key());
            encryption(r::serverSideEncryption, r::ssekmsKeyId);
            if (!replace) {
                r.ifNoneMatch("*");
            }
            try {
                s3.putObject(r.build(), RequestBody.fromBytes(bytes));
            } catch (S3Exception e) {
                throw refusal(url, e);
            }
            return null;
        });
    }

    /**
     * A multipart upload to {@code url} fed by writes: visible at the key only after {@link ObjectUpload#complete()},
     * aborted by {@link ObjectUpload#close()} before that.
     */
    public ObjectUpload upload(ObjectUrl url, boolean replace) throws IOException {
        return upload(url, replace, Progress.Transfer.NONE);
    }

    /** The same, counting the bytes written into {@code progress}. */
    public ObjectUpload upload(ObjectUrl url, boolean replace, Progress.Transfer progress) throws IOException {
        abortStaleUploads(url);
        return new ObjectUpload(this, url, replace, progress);
    }

    /**
     * Aborts unfinished uploads to exactly this key older than {@code stale-upload-age}: a raftpipe killed mid-upload
     * leaves one, invisible but billed. S3 does not list an unfinished upload's metadata, so the key and the age
     * stand for "ours": the key is the one this command is about to write. Credentials that may not list uploads
     * skip this (the bucket's lifecycle rule is the one that always works), they do not stop the write.
     */
    void abortStaleUploads(ObjectUrl url) throws IOException {
        Instant before = Instant.now().minus(settings.staleUploadAge());
        call(url, "listing its unfinished uploads", () -> {
            ListMultipartUploadsResponse listed;
            try {
                listed = s3.listMultipartUploads(r -> r.bucket(url.bucket()).prefix(url.key()));
            } catch (S3Exception e) {
                if (e.statusCode() == 403) {
                    return null;
                }
                throw e;
            }
            for (MultipartUpload u : listed.uploads()) {
                if (u.key().equals(url.key()) && u.initiated() != null && u.initiated().isBefore(before)) {
                    s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(url.bucket())
                            .key(url.key()).uploadId(u.uploadId()).build());
                }
            }
            return null;
        });
    }

    S3Client client() {
        return s3;
    }

    /** Starts a multipart upload to {@code url}, with the uploader's metadata and encryption as set; its id. */
    String startUpload(ObjectUrl url) throws IOException {
        return call(url, "starting an upload", () -> {
            CreateMultipartUploadRequest.Builder r = CreateMultipartUploadRequest.builder().bucket(url.bucket())
                    .key(url.key()).metadata(Map.of(UPLOADER_METADATA,
                            ProcessHandle.current().pid() + "@" + hostName()));
            encryption(r::serverSideEncryption, r::ssekmsKeyId);
            return s3.createMultipartUpload(r.build()).uploadId();
        });
    }

    /** Server-side encryption as set, given to a request builder's two setters (every write takes both). */
    private void encryption(Consumer<ServerSideEncryption> sse, Consumer<String> kmsKeyId) {
        settings.serverSideEncryption().map(ServerSideEncryption::fromValue).ifPresent(sse);
        settings.kmsKeyId().ifPresent(kmsKeyId);
    }

    /** A refused conditional write is the existing object's, in the words every local output uses. */
    static IOException refusal(ObjectUrl url, S3Exception e) {
        if (e.statusCode() == 412 || e.statusCode() == 409 && "ConditionalRequestConflict".equals(errorCode(e))) {
            return new FileAlreadyExistsException(url.toString(), null,
                    "already exists; raftpipe never replaces an object (--force to replace it)");
        }
        return new ObjectStoreException(url, describe(e), e);
    }

    /** Runs one request; an SDK failure becomes one line naming the URL. */
    <T> T call(ObjectUrl url, String doing, Request<T> request) throws IOException {
        try {
            return request.run();
        } catch (S3Exception e) {
            throw new ObjectStoreException(url, doing + ": " + describe(e), e);
        } catch (SdkException e) {
            throw new ObjectStoreException(url, doing + ": " + rootMessage(e), e);
        } catch (IOException e) {
            throw e instanceof FileAlreadyExistsException || e instanceof NoSuchFileException
                    || e instanceof ObjectStoreException ? e : new ObjectStoreException(url, doing + ": " + e.getMessage(), e);
        }
    }

    /** One request to the store. */
    interface Request<T> {
        T run() throws IOException;
    }

    static String describe(S3Exception e) {
        String code = errorCode(e);
        String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
        return switch (code == null ? "" : code) {
            case "NoSuchBucket" -> "no such bucket";
            // a HEAD's answer has no body, so no code: its status says what it can
            case "" -> switch (e.statusCode()) {
                case 404 -> "no such bucket";
                case 403 -> "access denied, or the store refused the credentials (HTTP 403)";
                default -> "HTTP " + e.statusCode();
            };
            case "AccessDenied" -> "access denied (" + (message != null ? message : "check the credentials") + ")";
            case "InvalidAccessKeyId", "SignatureDoesNotMatch" -> "the store refused the credentials (" + code + ")";
            default -> (code != null ? code : "HTTP " + e.statusCode()) + (message != null ? ": " + message : "");
        };
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
    }

    /** What went wrong underneath the SDK's wrapping (which repeats it, with its retry count). */
    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage().lines().findFirst().orElse("") : c.getClass().getSimpleName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
