package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archives and etcd snapshots in S3-compatible storage (s3proxy in this JVM), through the launcher as a user runs it:
 * round trips equal the local results, the AWS CLI reads what raftpipe wrote and raftpipe what the CLI wrote, an
 * object is never replaced unasked, and every failure is one line naming the URL with nothing left at the key.
 */
class ObjectStorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "raftpipe-backups";

    @EtcdFixture("single")
    static Path fixture;
    @TempDir
    static Path work;
    static S3Server s3;
    static S3Client client;
    static Path backend;

    @BeforeAll
    static void startStore() throws Exception {
        s3 = S3Server.start(work.resolve("s3"));
        client = s3.client();
        client.createBucket(b -> b.bucket(BUCKET));
        backend = work.resolve("single.db");
        Launcher.Result replayed = Launcher.run(work, "replay", "--wal-dir",
                EtcdFixtures.walDir(fixture, "n1").toString(), "--backend", backend.toString());
        assertEquals(0, replayed.exit(), replayed.stderr());
    }

    @AfterAll
    static void stopStore() throws Exception {
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static Launcher.Result raftpipe(String... args) throws Exception {
        return raftpipe(s3.env(), args);
    }

    private static Launcher.Result raftpipe(Map<String, String> env, String... args) throws Exception {
        return Launcher.run(work, env, List.of("-Draftpipe.s3.staging-dir=" + work.resolve("staging")), args);
    }

    private static String url(String key) {
        return "s3://" + BUCKET + "/" + key;
    }

    @Test
    void sealVerifyAndRestoreThroughTheStoreEqualTheLocalResults() throws Exception {
        Launcher.Result sealed = raftpipe("seal", "--backend", backend.toString(), "--out", url("rt/etcd.snap"),
                "--json");
        assertEquals(0, sealed.exit(), sealed.stderr());
        JsonNode report = JSON.readTree(sealed.stdout());
        assertEquals(url("rt/etcd.snap"), report.get("archive").asText(), "the report names the object");
        // the sidecar lands beside the object
        assertTrue(client.headObject(r -> r.bucket(BUCKET).key("rt/etcd.snap.info.json")).contentLength() > 0);

        Map<String, String> noEndpoint = new HashMap<>(s3.env());
        noEndpoint.remove("AWS_ENDPOINT_URL");
        Launcher.Result verified = raftpipe(noEndpoint, "verify", url("rt/etcd.snap"), "--json", "--s3-endpoint",
                s3.endpoint().toString());
        assertEquals(0, verified.exit(), verified.stderr());
        assertEquals(report.get("checksum").asText(), JSON.readTree(verified.stdout()).get("checksum").asText());

        // without the self-test the checksum is hashed on the way up: the same as a reader's
        Launcher.Result untested = raftpipe("seal", "--backend", backend.toString(), "--out", url("rt/untested.snap"),
                "--no-self-test", "--json");
        assertEquals(0, untested.exit(), untested.stderr());
        Launcher.Result reread = raftpipe("verify", url("rt/untested.snap"), "--json");
        assertEquals(0, reread.exit(), reread.stderr());
        assertEquals(JSON.readTree(untested.stdout()).get("checksum").asText(),
                JSON.readTree(reread.stdout()).get("checksum").asText());

        // the sidecar comes with the archive and is checked as beside a local one
        client.putObject(r -> r.bucket(BUCKET).key("rt/tampered.snap"), RequestBody.fromBytes(
                client.getObjectAsBytes(r -> r.bucket(BUCKET).key("rt/etcd.snap")).asByteArray()));
        client.putObject(r -> r.bucket(BUCKET).key("rt/tampered.snap.info.json"), RequestBody.fromString(
                client.getObjectAsBytes(r -> r.bucket(BUCKET).key("rt/etcd.snap.info.json")).asUtf8String()
                        .replace(report.get("checksum").asText(), "sha-256=" + "A".repeat(43) + "=")));
        assertOneLine(raftpipe("verify", url("rt/tampered.snap")), 2, url("rt/tampered.snap.info.json") + " records");

        Path restored = work.resolve("from-s3.db");
        Launcher.Result restore = raftpipe("restore", url("rt/etcd.snap"), "--backend", restored.toString());
        assertEquals(0, restore.exit(), restore.stderr());
        assertEquals(BackendRows.state(backend), BackendRows.state(restored));
        assertNoStagingLeft();
    }

    @Test
    void aWalArchiveBackupRestoresFromTheStoreAsFromAFile() throws Exception {
        Path dataDir = fixture.resolve("n1.etcd");
        Launcher.Result backup = raftpipe("backup", "--data-dir", dataDir.toString(), "--archive",
                url("wal/etcd.walsnap"), "--json");
        assertEquals(0, backup.exit(), backup.stderr());
        assertTrue(backup.stdout().contains(url("wal/etcd.walsnap")), "the report names the object: " + backup.stdout());
        Path local = work.resolve("etcd.walsnap");
        assertEquals(0, raftpipe("backup", "--data-dir", dataDir.toString(), "--archive", local.toString()).exit());

        Path fromStore = work.resolve("wal-from-s3.db");
        Path fromFile = work.resolve("wal-from-file.db");
        Launcher.Result restored = raftpipe("restore", url("wal/etcd.walsnap"), "--backend", fromStore.toString());
        assertEquals(0, restored.exit(), restored.stderr());
        assertEquals(0, raftpipe("restore", local.toString(), "--backend", fromFile.toString()).exit());
        assertEquals(BackendRows.state(fromFile), BackendRows.state(fromStore));
        assertNoStagingLeft();
    }

    @Test
    void anExistingObjectIsNeverReplacedUnasked() throws Exception {
        String key = "once/etcd.snap";
        assertEquals(0, raftpipe("seal", "--backend", backend.toString(), "--out", url(key)).exit());
        String etag = client.headObject(r -> r.bucket(BUCKET).key(key)).eTag();

        Launcher.Result again = raftpipe("seal", "--backend", backend.toString(), "--out", url(key));
        assertOneLine(again, 3, url(key) + ": already exists");
        assertEquals(etag, client.headObject(r -> r.bucket(BUCKET).key(key)).eTag(), "the object is as it was");
        Launcher.Result export = raftpipe("export", backend.toString(), "--etcd-snapshot", url(key));
        assertOneLine(export, 3, url(key) + ": already exists");

        Launcher.Result forced = raftpipe("seal", "--backend", backend.toString(), "--out", url(key), "--force");
        assertEquals(0, forced.exit(), forced.stderr());
        assertNotEquals(etag, client.headObject(r -> r.bucket(BUCKET).key(key)).eTag(), "a new archive (a new id)");
    }

    @Test
    void theAwsCliReadsWhatRaftpipeWroteAndEtcdutlTakesTheSnapshot() throws Exception {
        Launcher.Result sealed = raftpipe("seal", "--backend", backend.toString(), "--out", url("cli/etcd.snap"),
                "--json");
        assertEquals(0, sealed.exit(), sealed.stderr());
        Path downloaded = work.resolve("cli-etcd.snap");
        Launcher.Result cp = s3.aws(work, "s3", "cp", url("cli/etcd.snap"), downloaded.toString());
        assertEquals(0, cp.exit(), cp.stderr());
        String checksum = JSON.readTree(sealed.stdout()).get("checksum").asText();
        assertEquals(checksum, "sha-256=" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(downloaded))), "the same bytes");
        Launcher.Result listed = s3.aws(work, "s3", "ls", "s3://" + BUCKET + "/cli/");
        assertTrue(listed.stdout().contains(" etcd.snap\n") && listed.stdout().contains(" etcd.snap.info.json"),
                listed.stdout());

        Launcher.Result exported = raftpipe("export", url("cli/etcd.snap"), "--etcd-snapshot", url("cli/etcd.db"));
        assertEquals(0, exported.exit(), exported.stderr());
        Path db = work.resolve("cli-etcd.db");
        assertEquals(0, s3.aws(work, "s3", "cp", url("cli/etcd.db"), db.toString()).exit());
        JsonNode status = JSON.readTree(EtcdVersion.V3_5.run("etcdutl", "snapshot", "status", db.toString(), "-w",
                "json"));
        Launcher.Result inspected = raftpipe("db", "inspect", url("cli/etcd.db"), "--json");
        assertEquals(0, inspected.exit(), inspected.stderr());
        assertEquals(status.get("hash").asLong(), JSON.readTree(inspected.stdout()).get("status_hash").asLong());
    }

    @Test
    void raftpipeRestoresAnEtcdctlSnapshotTheAwsCliUploaded() throws Exception {
        Path snapshot = work.resolve("etcdctl.db");
        assertEquals(0, raftpipe("export", backend.toString(), "--etcd-snapshot", snapshot.toString()).exit());
        assertEquals(0, s3.aws(work, "s3", "cp", snapshot.toString(), url("up/etcdctl.db")).exit());

        Path dataDir = work.resolve("restored.etcd");
        Launcher.Result restored = raftpipe("restore", url("up/etcdctl.db"), "--etcd-data-dir", dataDir.toString(),
                "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:2380");
        assertEquals(0, restored.exit(), restored.stderr());
        Path replayed = work.resolve("up.db");
        Launcher.Result replay = raftpipe("replay", "--etcd-snapshot", url("up/etcdctl.db"), "--backend",
                replayed.toString());
        assertEquals(0, replay.exit(), replay.stderr());
        Path local = work.resolve("up-local.db");
        assertEquals(0, raftpipe("replay", "--etcd-snapshot", snapshot.toString(), "--backend", local.toString()).exit());
        assertEquals(BackendRows.state(local), BackendRows.state(replayed), "as from the local file");
    }

    @Test
    void failuresAreOneLineNamingTheUrlAndLeaveNothingAtTheKey() throws Exception {
        // refused before any work: the key and its bucket are looked up first
        assertOneLine(raftpipe("seal", "--backend", backend.toString(), "--out", "s3://no-such-bucket/x.snap"), 3,
                "s3://no-such-bucket/x.snap: looking up its bucket: no such bucket");
        assertOneLine(raftpipe("verify", url("missing.snap")), 3, url("missing.snap") + ": no such object");

        Map<String, String> wrongKey = new HashMap<>(s3.env());
        wrongKey.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        assertOneLine(raftpipe(wrongKey, "seal", "--backend", backend.toString(), "--out", url("denied.snap")), 3,
                url("denied.snap") + ": looking it up: access denied, or the store refused the credentials");
        assertAbsent("denied.snap");

        Map<String, String> down = new HashMap<>(s3.env());
        down.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
        assertOneLine(raftpipe(down, "seal", "--backend", backend.toString(), "--out", url("down.snap")), 3,
                url("down.snap") + ": looking it up: Connect to http://127.0.0.1:1 failed: Connection refused");

        // corrupt content stays exit 2, named by its URL
        byte[] archive = Files.readAllBytes(sealLocally());
        archive[archive.length / 2] ^= 1;
        client.putObject(r -> r.bucket(BUCKET).key("bad/etcd.snap"),
                RequestBody.fromBytes(archive));
        assertOneLine(raftpipe("verify", url("bad/etcd.snap")), 2, "corrupt");
        // a message about the private copy of an object names the object
        Path snapshot = work.resolve("trailerless.db");
        assertEquals(0, raftpipe("export", backend.toString(), "--etcd-snapshot", snapshot.toString()).exit());
        byte[] db = Files.readAllBytes(snapshot);
        client.putObject(r -> r.bucket(BUCKET).key("plain.db"),
                RequestBody.fromBytes(Arrays.copyOf(db, db.length - 32)));
        Launcher.Result plain = raftpipe("db", "inspect", url("plain.db"));
        assertOneLine(plain, 2, "raftpipe: " + url("plain.db") + ": not an etcd snapshot file: no SHA-256 trailer");
        assertNoStagingLeft();
    }

    private static Path sealLocally() throws Exception {
        Path local = work.resolve("local-" + System.nanoTime() + ".snap");
        assertEquals(0, Launcher.run(work, "seal", "--backend", backend.toString(), "--out", local.toString()).exit());
        return local;
    }

    private static void assertAbsent(String key) {
        assertThrows(NoSuchKeyException.class, () -> client.headObject(r -> r.bucket(BUCKET).key(key)));
        assertTrue(client.listMultipartUploads(r -> r.bucket(BUCKET).prefix(key)).uploads().isEmpty());
    }

    private static void assertOneLine(Launcher.Result r, int exit, String contains) {
        assertEquals(exit, r.exit(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(contains), r.stderr());
    }

    /** The private copies of objects are gone once a command ends. */
    private static void assertNoStagingLeft() throws Exception {
        List<Path> left = new ArrayList<>();
        try (var files = Files.list(Files.createDirectories(work.resolve("staging")))) {
            files.forEach(left::add);
        }
        assertEquals(List.of(), left);
    }
}
