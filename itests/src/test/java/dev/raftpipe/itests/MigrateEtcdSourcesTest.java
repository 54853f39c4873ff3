package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plan of what operators have, at parallelism 2: data dirs whose WAL real etcd 3.4 and 3.5 purged (replayed
 * and sealed), an etcdctl snapshot file (sealed and replayed), a running 3.5 member (sealed and replayed through its
 * endpoint), and an archive restored into two members' data dirs of a new cluster. Each output equals the
 * single-cluster command's, byte for byte for the data dirs.
 */
class MigrateEtcdSourcesTest {
    @TempDir
    Path tmp;

    @Test
    void purgedDataDirsAndSnapshotFilesMigrateAsTheSingleCommandsDo() throws Exception {
        Path dir34 = PurgedDataDirs.of(EtcdVersion.V3_4);
        Path dir35 = PurgedDataDirs.of(EtcdVersion.V3_5);
        Path snapshot = dir35.resolveSibling(PurgedDataDirs.LAGGING_DB);
        Path ref = Files.createDirectories(tmp.resolve("reference"));
        Path archive = single(ref, "seal", "--data-dir", dir34, "--out", "a34.snap");
        String initialCluster = "a=http://127.0.0.1:2380,b=http://127.0.0.1:2381";
        try (EtcdProcess live = EtcdProcess.start(EtcdVersion.V3_5, tmp.resolve("live.etcd"), "l1", tmp.resolve("live.log"),
                List.of())) {
            new Workload(live, 3).withLongLeases().run(200);
            migrateAndCompare(dir34, dir35, snapshot, ref, archive, initialCluster, live.clientUrl());
        }
    }

    private void migrateAndCompare(Path dir34, Path dir35, Path snapshot, Path ref, Path archive, String initialCluster,
                                   String endpoint) throws Exception {
        String plan = "defaults { target-dir = \"" + tmp.resolve("out") + "\" }\nclusters = [\n"
                + cluster("r34", "replay", dir34) + cluster("r35", "replay", dir35)
                + cluster("s35", "seal", dir35) + cluster("snap", "seal", snapshot)
                + cluster("snapdb", "replay", snapshot)
                + "  { name = live, job = seal, source = \"" + endpoint + "\" }\n"
                + "  { name = livedb, job = replay, source = \"" + endpoint + "\" }\n"
                + "  { name = a, job = restore, source = \"" + archive + "\", initial-cluster = \"" + initialCluster + "\" }\n"
                + "  { name = b, job = restore, source = \"" + archive + "\", initial-cluster = \"" + initialCluster + "\" }\n"
                + "]\n";
        Path planFile = Files.writeString(tmp.resolve("plan.conf"), plan);
        Launcher.Result r = Launcher.run(tmp, "migrate", "--plan", planFile.toString(), "--parallelism", "2", "--json");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(9, new ObjectMapper().readTree(r.stdout()).get("succeeded").asInt(), r.stdout());

        assertSame(single(ref, "replay", "--data-dir", dir34, "--backend", "r34.db"), tmp.resolve("out/r34.db"));
        assertSame(single(ref, "replay", "--data-dir", dir35, "--backend", "r35.db"), tmp.resolve("out/r35.db"));
        assertSame(single(ref, "seal", "--data-dir", dir35, "--out", "s35.snap"), tmp.resolve("out/s35.snap"));
        assertSame(single(ref, "seal", "--etcd-snapshot", snapshot, "--out", "snap.snap"), tmp.resolve("out/snap.snap"));
        assertSame(single(ref, "replay", "--etcd-snapshot", snapshot, "--backend", "snapdb.db"),
                tmp.resolve("out/snapdb.db"));
        assertSame(single(ref, "seal", "--endpoint", endpoint, "--out", "live.snap"), tmp.resolve("out/live.snap"));
        assertSame(single(ref, "replay", "--endpoint", endpoint, "--backend", "livedb.db"), tmp.resolve("out/livedb.db"));
        for (String member : List.of("a", "b")) {
            Launcher.Result one = Launcher.run(ref, "restore", archive.toString(), "--etcd-data-dir", member,
                    "--name", member, "--initial-cluster", initialCluster);
            assertEquals(0, one.exit(), one.stderr());
            assertEquals(MigrationOutputs.files(ref.resolve(member)), MigrationOutputs.files(tmp.resolve("out").resolve(member)),
                    member + "'s data dir differs from the single command's");
        }
        assertEquals(List.of(), MigrationOutputs.leftovers(tmp.resolve("out")));
    }

    private static String cluster(String name, String job, Object source) {
        return "  { name = " + name + ", job = " + job + ", source = \"" + source + "\" }\n";
    }

    private Path single(Path dir, String command, String flag, Object source, String outFlag, String out) throws Exception {
        Launcher.Result r = Launcher.run(dir, command, flag, source.toString(), outFlag, out);
        assertEquals(0, r.exit(), command + " " + flag + ": " + r.stderr());
        return dir.resolve(out);
    }

    private static void assertSame(Path reference, Path output) {
        assertTrue(MigrationOutputs.of(reference).equals(MigrationOutputs.of(output)),
                output + " differs from the single-cluster command's " + reference);
    }
}
