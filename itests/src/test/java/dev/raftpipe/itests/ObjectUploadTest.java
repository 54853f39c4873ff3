package dev.raftpipe.itests;

import com.typesafe.config.ConfigFactory;
import dev.raftpipe.pipeline.location.ObjectStoreException;
import dev.raftpipe.pipeline.location.ObjectUpload;
import dev.raftpipe.pipeline.location.ObjectUrl;
import dev.raftpipe.pipeline.location.S3Objects;
import dev.raftpipe.pipeline.location.S3Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.ByteArrayOutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * raftpipe's streamed upload against a real S3 server: parts, the conditional completion that refuses to replace an
 * object written meanwhile, the abort that leaves nothing, and the clean-up of a killed run's stale upload.
 */
class ObjectUploadTest {
    private static final String BUCKET = "uploads";

    @TempDir
    static Path work;
    static S3Server s3;
    static S3Client client;
    static S3Objects store;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start(work.resolve("s3"));
        client = s3.client();
        client.createBucket(b -> b.bucket(BUCKET));
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
        S3Settings settings = S3Settings.create(ConfigFactory.load()).withEndpoint(s3.endpoint())
                .withPartBytes(S3Settings.MIN_PART_BYTES);
        store = S3Objects.open(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        client.close();
        s3.close();
    }

    private static ObjectUrl url(String key) {
        return new ObjectUrl(BUCKET, key);
    }

    @Test
    void aStreamOfManyPartsArrivesWholeAndOnlyWhenComplete() throws Exception {
        byte[] bytes = new byte[(int) (S3Settings.MIN_PART_BYTES * 2 + 12_345)];
        new Random(7).nextBytes(bytes);
        try (ObjectUpload upload = store.upload(url("parts.bin"), false)) {
            for (int at = 0; at < bytes.length; at += 100_000) {
                upload.write(bytes, at, Math.min(100_000, bytes.length - at));
            }
            assertAbsent("parts.bin"); // two parts are up, but nothing is at the key yet
            upload.complete();
        }
        assertArrayEquals(bytes, client.getObjectAsBytes(r -> r.bucket(BUCKET).key("parts.bin")).asByteArray());
        assertTrue(client.headObject(r -> r.bucket(BUCKET).key("parts.bin")).eTag().endsWith("-3\""),
                "a multipart object of three parts");
    }

    @Test
    void anObjectWrittenMeanwhileIsNotReplaced() throws Exception {
        byte[] ours = new byte[(int) S3Settings.MIN_PART_BYTES + 1];
        ObjectUpload upload = store.upload(url("raced.bin"), false);
        upload.write(ours);
        client.putObject(r -> r.bucket(BUCKET).key("raced.bin"), RequestBody.fromString("theirs"));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, upload::complete);
        assertEquals("s3://uploads/raced.bin", e.getFile());
        upload.close();
        assertEquals("theirs", client.getObjectAsBytes(r -> r.bucket(BUCKET).key("raced.bin")).asUtf8String());
        assertTrue(client.listMultipartUploads(r -> r.bucket(BUCKET).prefix("raced.bin")).uploads().isEmpty(),
                "the refused upload is aborted");

        // a small object is one conditional put, refused the same way
        ObjectUpload small = store.upload(url("raced.bin"), false);
        small.write("ours".getBytes());
        assertThrows(FileAlreadyExistsException.class, small::complete);
        assertEquals("theirs", client.getObjectAsBytes(r -> r.bucket(BUCKET).key("raced.bin")).asUtf8String());
    }

    @Test
    void closingWithoutCompletingLeavesNothing() throws Exception {
        try (ObjectUpload upload = store.upload(url("aborted.bin"), false)) {
            upload.write(new byte[(int) S3Settings.MIN_PART_BYTES * 2]);
        }
        assertAbsent("aborted.bin");
        assertTrue(client.listMultipartUploads(r -> r.bucket(BUCKET).prefix("aborted.bin")).uploads().isEmpty());
    }

    @Test
    void aStaleUploadToTheSameKeyIsAbortedBeforeWritingIt() throws Exception {
        String stale = client.createMultipartUpload(r -> r.bucket(BUCKET).key("stale.bin")).uploadId();
        String other = client.createMultipartUpload(r -> r.bucket(BUCKET).key("stale.bin.other")).uploadId();
        try (S3Objects eager = S3Objects.open(store.settings().withStaleUploadAge(Duration.ZERO))) {
            Thread.sleep(1100); // S3 gives an upload's start to the second
            try (ObjectUpload upload = eager.upload(url("stale.bin"), false)) {
                upload.write("fresh".getBytes());
                upload.complete();
            }
        }
        var left = client.listMultipartUploads(r -> r.bucket(BUCKET)).uploads();
        assertTrue(left.stream().noneMatch(u -> u.uploadId().equals(stale)), "the stale upload is gone");
        assertTrue(left.stream().anyMatch(u -> u.uploadId().equals(other)), "another key's upload is not touched");
        assertEquals("fresh", client.getObjectAsBytes(r -> r.bucket(BUCKET).key("stale.bin")).asUtf8String());
    }

    /** s3proxy implements no server-side encryption and says so: the request reached it, for both kinds of write. */
    @Test
    void serverSideEncryptionIsAskedForEveryObject() throws Exception {
        S3Settings sse = S3Settings.create(ConfigFactory.parseString("raftpipe.s3.server-side-encryption = AES256")
                .withFallback(ConfigFactory.load())).withEndpoint(s3.endpoint()).withPartBytes(S3Settings.MIN_PART_BYTES);
        try (S3Objects encrypting = S3Objects.open(sse)) {
            ObjectUpload big = encrypting.upload(url("sse-parts.bin"), false);
            ObjectStoreException refused = assertThrows(ObjectStoreException.class,
                    () -> big.write(new byte[(int) S3Settings.MIN_PART_BYTES + 1]));
            big.close();
            assertEquals("s3://uploads/sse-parts.bin: starting an upload: NotImplemented: Server-side encryption is "
                    + "not supported.", refused.getMessage());
            ObjectUpload small = encrypting.upload(url("sse-small.bin"), false);
            small.write("small".getBytes());
            ObjectStoreException put = assertThrows(ObjectStoreException.class, small::complete);
            assertTrue(put.getMessage().contains("Server-side encryption is not supported"), put.getMessage());
        }
        assertAbsent("sse-parts.bin");
        assertAbsent("sse-small.bin");
    }

    @Test
    void readingCopiesTheWholeObject() throws Exception {
        byte[] bytes = Arrays.copyOf("an object".getBytes(), 3_000_000);
        client.putObject(r -> r.bucket(BUCKET).key("read.bin"), RequestBody.fromBytes(bytes));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.copyTo(url("read.bin"), out);
        assertArrayEquals(bytes, out.toByteArray());
    }

    private static void assertAbsent(String key) {
        assertThrows(NoSuchKeyException.class, () -> client.headObject(r -> r.bucket(BUCKET).key(key)));
    }
}
