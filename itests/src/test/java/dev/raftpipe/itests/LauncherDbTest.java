package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code db inspect} / {@code db dump} as a user meets their errors: one line on stderr and the documented exit code. */
class LauncherDbTest {
    @EtcdFixture("single")
    static Path fixture;
    static Path db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() {
        db = fixture.resolve("n1.etcd/member/snap/db");
    }

    static void assertOneLine(Launcher.Result r, int exit, String contains) {
        assertEquals(exit, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(contains), r.stderr());
    }

    @Test
    void aDamagedDbIsExit2NamingPageAndOffset() throws Exception {
        byte[] bytes = Files.readAllBytes(db);
        bytes[5 * 4096 + 8] = 9; // page 5's flags
        Path damaged = tmp.resolve("db");
        Files.write(damaged, bytes);
        assertOneLine(Launcher.run(tmp, "db", "inspect", damaged.toString(), "--skip-hash-check"), 2,
                "page 5 (byte offset 20488)");
        assertOneLine(Launcher.run(tmp, "db", "dump", damaged.toString(), "--skip-hash-check"), 2, "page 5");
    }

    @Test
    void aValueThatIsNoKeyValueIsRefusedByInspectAsByReplay() throws Exception {
        byte[] bytes = Files.readAllBytes(db);
        // the first stored mvccpb.KeyValue whose key is /registry/...: field 1 (the key), then field 2 as a varint;
        // field 2 becomes length-delimited, which etcd's decoder refuses
        int at = -1;
        for (int i = 0; i + 2 < bytes.length && at < 0; i++) {
            int length = bytes[i + 1];
            if (bytes[i] == 0x0a && length > 10 && i + 2 + length < bytes.length && bytes[i + 2 + length] == 0x10
                    && new String(bytes, i + 2, 10, java.nio.charset.StandardCharsets.US_ASCII).equals("/registry/")) {
                at = i + 2 + length;
            }
        }
        assertTrue(at > 0, "the fixture holds a /registry/ key");
        bytes[at] = 0x12;
        Path damaged = Files.write(tmp.resolve("damaged.db"), bytes);
        Launcher.Result replayed = Launcher.run(tmp, "replay", "--etcd-snapshot", damaged.toString(), "--skip-hash-check",
                "--backend", tmp.resolve("replayed.db").toString());
        assertOneLine(replayed, 2, "is not an mvccpb.KeyValue");
        String revision = replayed.stderr().replaceAll("(?s).*at revision (\\S+) is not.*", "$1");
        assertOneLine(Launcher.run(tmp, "db", "inspect", damaged.toString(), "--skip-hash-check"), 2,
                "the value at revision " + revision + " is not an mvccpb.KeyValue");
    }

    @Test
    void snapshotTrailers() throws Exception {
        byte[] bytes = Files.readAllBytes(db);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
        sha[3] ^= 1;
        Path snapshot = tmp.resolve("etcd.snapshot");
        byte[] withTrailer = Arrays.copyOf(bytes, bytes.length + 32);
        System.arraycopy(sha, 0, withTrailer, bytes.length, 32);
        Files.write(snapshot, withTrailer);
        assertOneLine(Launcher.run(tmp, "db", "inspect", snapshot.toString()), 2, "trailer mismatch");
        Launcher.Result skipped = Launcher.run(tmp, "db", "inspect", snapshot.toString(), "--skip-hash-check", "--json");
        assertEquals(0, skipped.exit(), skipped.stderr());
        assertTrue(skipped.stdout().contains("\"trailer\":\"skipped\""), skipped.stdout());
        // a db under any other name than a member's own member/snap/db is taken for a snapshot file, as restore takes it
        Path plain = Files.write(tmp.resolve("plain.db"), bytes);
        assertOneLine(Launcher.run(tmp, "db", "inspect", plain.toString()), 2,
                plain + ": not an etcd snapshot file: no SHA-256 trailer");
        assertEquals(0, Launcher.run(tmp, "db", "inspect", plain.toString(), "--skip-hash-check").exit());
    }

    @Test
    void mistakesAreUsageErrors() throws Exception {
        assertOneLine(Launcher.run(tmp, "db", "inspect", fixture.resolve("n1.etcd").toString()), 1, "member/snap/db");
        assertOneLine(Launcher.run(tmp, "db", "dump", db.toString(), "--bucket", "nope"), 1, "has no bucket nope");
        assertOneLine(Launcher.run(tmp, "db", "dump", db.toString(), "--bucket", "key", "--history"), 1, "give one");
        assertOneLine(Launcher.run(tmp, "db", "inspect", tmp.resolve("missing").toString()), 3, "missing");
        Path wal = fixture.resolve("n1.etcd/member/wal/0000000000000000-0000000000000000.wal");
        // another kind of file is named as what it looks like, not called a damaged db
        assertOneLine(Launcher.run(tmp, "db", "inspect", wal.toString()), 1, wal + ": not an etcd db (bbolt) file: it "
                + "looks like a WAL segment");
    }

    @Test
    void aPipelineFileSealsADbThroughTheDbSourceStage() throws Exception {
        Path archive = tmp.resolve("db.snap");
        Path pipeline = Files.writeString(tmp.resolve("db.conf"), "pipeline {\n"
                + "  source = { stage = db-source, file = \"" + db + "\" }\n"
                + "  sinks = [ { stage = archive-sink, out = \"" + archive + "\", source = etcd-snapshot } ]\n}\n");
        Launcher.Result run = Launcher.run(tmp, "run", pipeline.toString());
        assertEquals(0, run.exit(), run.stderr());
        Launcher.Result inspect = Launcher.run(tmp, "inspect", archive.toString(), "--json");
        assertEquals(0, inspect.exit(), inspect.stderr());
        assertTrue(inspect.stdout().contains("\"keys\":312") && inspect.stdout().contains("\"source\":\"etcd-snapshot\""),
                inspect.stdout());
    }

    @Test
    void aPipelineFileWritesAnEtcdSnapshotThroughTheDbSinkStage() throws Exception {
        Path snapshot = tmp.resolve("out.db");
        Path pipeline = Files.writeString(tmp.resolve("export.conf"), "pipeline {\n"
                + "  source = { stage = db-source, file = \"" + db + "\" }\n"
                + "  sinks = [ { stage = db-sink, file = \"" + snapshot + "\", etcd-version = \"3.5\" } ]\n}\n");
        Launcher.Result run = Launcher.run(tmp, "run", pipeline.toString());
        assertEquals(0, run.exit(), run.stderr());
        Launcher.Result inspect = Launcher.run(tmp, "db", "inspect", snapshot.toString(), "--json");
        assertEquals(0, inspect.exit(), inspect.stderr());
        assertTrue(inspect.stdout().contains("\"trailer\":\"verified\"") && inspect.stdout().contains("\"live_keys\":312")
                && inspect.stdout().contains("\"compact_revision\":401"), inspect.stdout());
    }

    @Test
    void aPipelineFileWritesTheSameMemberDataDirAsRestore() throws Exception {
        Path archive = tmp.resolve("a.snap");
        assertEquals(0, Launcher.run(tmp, "seal", "--etcd-snapshot", db.toString(), "--skip-hash-check", "--out",
                archive.toString()).exit());
        String cluster = "m1=http://127.0.0.1:2380,m2=http://127.0.0.1:2381";
        Path pipeline = Files.writeString(tmp.resolve("member.conf"), "pipeline {\n"
                + "  source = { stage = archive-source, archive = \"" + archive + "\" }\n"
                + "  sinks = [ { stage = etcd-data-dir-sink, dir = piped, name = m2, initial-cluster = \"" + cluster
                + "\" } ]\n}\n");
        Launcher.Result run = Launcher.run(tmp, "run", pipeline.toString());
        assertEquals(0, run.exit(), run.stderr());
        Launcher.Result restore = Launcher.run(tmp, "restore", archive.toString(), "--etcd-data-dir",
                tmp.resolve("restored").toString(), "--name", "m2", "--initial-cluster", cluster);
        assertEquals(0, restore.exit(), restore.stderr());
        assertEquals(MigrationOutputs.files(tmp.resolve("restored")), MigrationOutputs.files(tmp.resolve("piped")));
    }

    @Test
    void dumpViews() throws Exception {
        Launcher.Result live = Launcher.run(tmp, "db", "dump", db.toString());
        assertEquals(0, live.exit(), live.stderr());
        assertEquals(312, live.stdout().lines().count());
        Launcher.Result members = Launcher.run(tmp, "db", "dump", db.toString(), "--bucket", "members");
        assertEquals(0, members.exit(), members.stderr());
        assertTrue(members.stdout().startsWith("{\"key\":\"c0da02e0a64bd8af\",\"value\":\"{\\\"id\\\":13896422764091005103"),
                members.stdout());
    }
}
