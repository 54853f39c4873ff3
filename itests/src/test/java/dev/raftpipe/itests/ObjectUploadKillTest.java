package dev.raftpipe.itests;

import dev.raftpipe.itests.bench.BulkWal;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seal streamed to S3 killed with SIGKILL mid-upload (a slow store: a second per part) leaves nothing at the key,
 * only an unfinished upload; the next run to that key aborts it once it is older than {@code stale-upload-age}, and
 * publishes an archive that verifies. A store that goes away mid-upload is one line naming the URL, exit 3.
 */
class ObjectUploadKillTest {
    private static final String BUCKET = "killed";

    @EtcdFixture("single")
    static Path fixture;
    @TempDir
    static Path made;
    static Path backend;
    @TempDir
    Path work;

    @BeforeAll
    static void bulkBackend() throws Exception {
        Path dataDir = made.resolve("bulk");
        // ~36 MB of hex values, every key distinct: an archive of several 5 MiB parts
        BulkWal.write(EtcdFixtures.walDir(fixture, "n1"), dataDir, 12_000, 3_000, 12_000);
        backend = made.resolve("bulk.db");
        Launcher.Result replayed = Launcher.run(made, "replay", "--wal-dir", dataDir.resolve("member/wal").toString(),
                "--backend", backend.toString());
        assertEquals(0, replayed.exit(), replayed.stderr());
    }

    @Test
    void aStoreGoneMidUploadIsOneLineExit3AndNothingAtTheKey() throws Exception {
        String url = "s3://" + BUCKET + "/cut.snap";
        Launcher.Result r;
        try (S3Server s3 = S3Server.start(work.resolve("s3"), Duration.ofSeconds(1)); S3Client client = s3.client()) {
            client.createBucket(b -> b.bucket(BUCKET));
            ProcessBuilder seal = new ProcessBuilder(Launcher.command(List.of("-Draftpipe.s3.part-size=5MiB",
                    "-Draftpipe.s3.parts-in-flight=1"), "seal", "--backend", backend.toString(), "--out", url))
                    .directory(work.toFile()).redirectOutput(work.resolve("out.txt").toFile())
                    .redirectError(work.resolve("err.txt").toFile());
            seal.environment().putAll(s3.env());
            Process p = seal.start();
            awaitUpload(client, p);
            s3.close(); // the network is cut: every connection refused from now on
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the seal gave up");
            String err = Files.readString(work.resolve("err.txt"));
            assertEquals(3, p.exitValue(), err);
            assertEquals(1, err.strip().lines().count(), err);
            assertTrue(err.startsWith("raftpipe: " + url + ": ") && !err.contains(url + ": " + url), err);
        }
        try (S3Server again = S3Server.start(work.resolve("s3")); S3Client client = again.client()) {
            assertThrows(NoSuchKeyException.class, () -> client.headObject(h -> h.bucket(BUCKET).key("cut.snap")));
        }
    }

    private static void awaitUpload(S3Client client, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (client.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().isEmpty()) {
            assertTrue(p.isAlive(), "the seal ended before its upload began");
            assertTrue(System.nanoTime() < deadline, "no upload began in 120 s");
            Thread.sleep(20);
        }
    }

    @Test
    void aKilledUploadLeavesNothingAtTheKeyAndTheNextRunCleansUp() throws Exception {
        try (S3Server s3 = S3Server.start(work.resolve("s3"), Duration.ofSeconds(1)); S3Client client = s3.client()) {
            client.createBucket(b -> b.bucket(BUCKET));
            String url = "s3://" + BUCKET + "/etcd.snap";
            Path staging = work.resolve("staging");
            List<String> slowParts = List.of("-Draftpipe.s3.part-size=5MiB", "-Draftpipe.s3.parts-in-flight=1",
                    "-Draftpipe.s3.staging-dir=" + staging);
            ProcessBuilder seal = new ProcessBuilder(Launcher.command(slowParts, "seal", "--backend",
                    backend.toString(), "--out", url)).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("killed.log").toFile());
            seal.environment().putAll(s3.env());
            Process p = seal.start();
            awaitUpload(client, p);
            p.destroyForcibly(); // SIGKILL: no clean-up of its own
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));

            assertThrows(NoSuchKeyException.class, () -> client.headObject(r -> r.bucket(BUCKET).key("etcd.snap")));
            assertEquals(1, client.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().size(),
                    "the killed run's upload is left unfinished");
            assertEquals(1, files(staging).size(), "and its private scratch directory");

            Thread.sleep(1100); // S3 gives an upload's start to the second
            Launcher.Result again = Launcher.run(work, s3.env(), List.of("-Draftpipe.s3.stale-upload-age=0s",
                    "-Draftpipe.s3.staging-dir=" + staging), "seal", "--backend", backend.toString(), "--out", url);
            assertEquals(0, again.exit(), again.stderr());
            assertTrue(client.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().isEmpty(),
                    "the stale upload is aborted, the new one completed");
            assertEquals(List.of(), files(staging), "the killed run's scratch directory is removed");
            Launcher.Result verified = Launcher.run(work, s3.env(), List.of(), "verify", url);
            assertEquals(0, verified.exit(), verified.stderr());
            assertFalse(client.headObject(r -> r.bucket(BUCKET).key("etcd.snap")).eTag().isEmpty());
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
