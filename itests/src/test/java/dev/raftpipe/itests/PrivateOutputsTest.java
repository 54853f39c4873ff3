package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file and directory a command creates is 0600 / 0700 under the usual umask 022, as etcd keeps its own data:
 * each command writes into a fresh directory, and the walk looks at everything found there afterwards.
 */
class PrivateOutputsTest {
    @EtcdFixture("single")
    static Path single;

    @TempDir
    Path tmp;

    @Test
    void everyOutputOfEveryCommandIsPrivate() throws Exception {
        Path dataDir = single.resolve("n1.etcd");
        Path wal = EtcdFixtures.walDir(single, "n1");
        Path key = Files.writeString(tmp.resolve("key"), "1f".repeat(32));
        Path out = Files.createDirectories(tmp.resolve("out"));
        ok(out, "replay", "--wal-dir", wal.toString(), "--backend", "replayed.db");
        ok(out, "replay", "--data-dir", dataDir.toString(), "--backend", "data-dir.db");
        ok(out, "backup", "--data-dir", dataDir.toString(), "--backup-dir", "backup", "--backend", "backup.db");
        ok(out, "backup", "--data-dir", dataDir.toString(), "--backup-dir", "masked/backup", "--mask-prefix",
                "/registry/secrets/", "--mask-key-file", key.toString());
        ok(out, "seal", "--backend", "replayed.db", "--out", "a.snap");
        ok(out, "seal", "--backend", "replayed.db", "--out", "sealed/b.snap", "--seal", "aes-gcm", "--key-file",
                key.toString());
        ok(out, "seal", "--data-dir", dataDir.toString(), "--out", "c.snap");
        ok(out, "restore", "a.snap", "--backend", "restored/r.db");
        ok(out, "restore", "a.snap", "--etcd-data-dir", "member-dir", "--name", "m1", "--initial-cluster",
                "m1=http://127.0.0.1:2380");
        ok(out, "export", "a.snap", "--etcd-snapshot", "exported/e.db");
        Path pipeline = Files.writeString(out.resolve("copy.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  stages = [ { stage = resolve } ]
                  sinks = [ { stage = wal-sink, dir = "piped/member/wal" } ]
                }
                """.formatted(wal));
        ok(out, "run", pipeline.toString());
        Path plan = Files.writeString(out.resolve("plan.conf"), """
                defaults { target-dir = migrated }
                clusters = [ { name = one, job = seal, source = "%s" } ]
                """.formatted(dataDir));
        ok(out, "migrate", "--plan", plan.toString());
        Files.delete(key);

        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : all.toList()) {
                if (p.equals(out) || p.getFileName().toString().endsWith(".conf")) {
                    continue; // made by this test
                }
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                if (!mode.equals(expected)) {
                    open.add(out.relativize(p) + " " + mode);
                }
            }
        }
        assertTrue(Files.exists(out.resolve("member-dir/member/wal")), "the walk sees the outputs");
        assertEquals(List.of(), open);
    }

    private static void ok(Path dir, String... args) throws Exception {
        Launcher.Result r = Launcher.run(dir, args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.stderr());
    }
}
