package dev.raftpipe.itests;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real S3 server in the test JVM: s3proxy over a filesystem blob store, on a free port of 127.0.0.1, with one
 * access key. The launcher under test reaches it as any S3 client would, through the environment the AWS SDK and CLI
 * read.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "raftpipe-test";
    static final String SECRET_KEY = "raftpipe-test-secret";

    private final S3Proxy proxy;
    private final URI endpoint;

    private S3Server(S3Proxy proxy) {
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    static S3Server start(Path dir) throws Exception {
        return start(dir, Duration.ZERO);
    }

    /** A store that takes {@code perPart} to accept each part of a multipart upload: a slow link, to kill a run in. */
    static S3Server start(Path dir, Duration perPart) throws Exception {
        Files.createDirectories(dir);
        BlobStore store = new FilesystemNio2BlobStore(dir.toString());
        if (!perPart.isZero()) {
            store = new ForwardingBlobStore(store) {
                @Override
                public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
                                                              InputStream in) {
                    try {
                        Thread.sleep(perPart.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.uploadMultipartPart(upload, request, in);
                }
            };
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 200 && !proxy.getState().equals("STARTED"); i++) {
            Thread.sleep(50);
        }
        if (!proxy.getState().equals("STARTED")) {
            throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        return new S3Server(proxy);
    }

    URI endpoint() {
        return endpoint;
    }

    /** What a user of this store sets: credentials, region and endpoint, as the AWS SDK and CLI read them. */
    Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", endpoint.toString(), "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }

    /** A client of the test's own, to look at what raftpipe left in the store. */
    S3Client client() {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Runs the AWS CLI against this store ({@code --endpoint-url}: Debian's CLI predates AWS_ENDPOINT_URL). */
    Launcher.Result aws(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).directory(workDir.toFile());
        b.environment().putAll(env());
        Path out = Files.createTempFile(workDir, "aws", ".out");
        Path err = Files.createTempFile(workDir, "aws", ".err");
        Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Launcher.Result(exit, Files.readString(out), Files.readString(err));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
