package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code restore --etcd-data-dir}: archives of data dirs that real etcd 3.4 / 3.5 purged, restored into member data
 * dirs that etcd of the same version starts from as that member (no --force-new-cluster): one member, a 3-member
 * cluster from three restore runs, and a revision bump.
 */
class RestoreEtcdDataDirTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Served(List<String> rows, long revision) {
    }

    private Served servedFrom(EtcdVersion version, Path source) throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(version, PurgedDataDirs.copy(source, tmp.resolve("source.etcd")), "m1",
                tmp.resolve("source.log"), List.of())) {
            return new Served(BackendRows.of(etcd.rangeAll()), etcd.revision());
        }
    }

    private Path seal(Path source) throws Exception {
        Path archive = tmp.resolve("a.snap");
        Launcher.Result r = Launcher.run(tmp, "seal", "--data-dir", source.toString(), "--out", archive.toString());
        assertEquals(0, r.exit(), r.stderr());
        return archive;
    }

    private JsonNode restore(Path archive, Path dataDir, String name, String initialCluster, String... more)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("restore", archive.toString(), "--etcd-data-dir", dataDir.toString(),
                "--name", name, "--initial-cluster", initialCluster, "--initial-cluster-token", "restored", "--json"));
        args.addAll(List.of(more));
        Launcher.Result r = Launcher.run(tmp, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stderr());
        return JSON.readTree(r.stdout());
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aRestoredMemberServesTheSourceTakesWritesAndSurvivesARestart(EtcdVersion version) throws Exception {
        Path source = PurgedDataDirs.of(version);
        Served served = servedFrom(version, source);
        int peer = EtcdProcess.freePort();
        String cluster = "m1=http://127.0.0.1:" + peer;
        Path dataDir = tmp.resolve("restored.etcd");
        JsonNode report = restore(seal(source), dataDir, "m1", cluster);
        assertEquals(version.label(), report.get("etcd_version").asText());
        assertEquals(1, report.get("consistent_index").asLong());
        try (var left = Files.list(dataDir)) {
            assertEquals(List.of(dataDir.resolve("member")), left.toList(), "nothing but member/ is left");
        }
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", peer, tmp.resolve("restored.log"), List.of())) {
            assertEquals(served.rows(), BackendRows.of(etcd.rangeAll()));
            assertEquals(served.revision(), etcd.revision());
            assertEquals(List.of(report.get("member_id").asText() + " m1 [\"http://127.0.0.1:" + peer + "\"]"), etcd.members());
            etcd.post("/v3/kv/put", "{\"key\":\"L2FmdGVy\",\"value\":\"eA==\"}");
        }
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", peer, tmp.resolve("again.log"), List.of())) {
            assertEquals(served.rows().size() + 1, etcd.rangeAll().size());
        }
        Launcher.Result again = Launcher.run(tmp, "restore", tmp.resolve("a.snap").toString(), "--etcd-data-dir",
                dataDir.toString(), "--name", "m1", "--initial-cluster", cluster);
        assertEquals(3, again.exit(), "a target that holds a member is refused: " + again.stderr());
    }

    @Test
    void threeMembersRestoredFromOneArchiveFormAClusterThatServesTheSameKeys() throws Exception {
        EtcdVersion version = EtcdVersion.V3_5;
        Path source = PurgedDataDirs.of(version);
        Served served = servedFrom(version, source);
        Path archive = seal(source);
        int[] peers = {EtcdProcess.freePort(), EtcdProcess.freePort(), EtcdProcess.freePort()};
        String cluster = "a=http://127.0.0.1:" + peers[0] + ",b=http://127.0.0.1:" + peers[1] + ",c=http://127.0.0.1:" + peers[2];
        String[] names = {"a", "b", "c"};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode r = restore(archive, tmp.resolve(names[i] + ".etcd"), names[i], cluster);
            ids.add(r.get("member_id").asText());
        }
        List<EtcdProcess> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(EtcdProcess.launch(version, tmp.resolve(names[i] + ".etcd"), names[i], peers[i], cluster,
                        tmp.resolve(names[i] + ".log"), List.of()));
            }
            for (int i = 0; i < 3; i++) {
                members.get(i).awaitLeader(Duration.ofSeconds(60), tmp.resolve(names[i] + ".log"));
            }
            for (EtcdProcess m : members) {
                assertEquals(served.rows(), BackendRows.of(m.rangeAll()));
                assertEquals(3, m.members().size());
            }
            List<String> listed = members.get(0).members().stream().map(l -> l.split(" ")[0]).sorted().toList();
            assertEquals(ids.stream().sorted().toList(), listed);
        } finally {
            for (EtcdProcess m : members) {
                m.close();
            }
        }
    }

    @Test
    void aThreeFiveStateRestoredForThreeFourIsADowngradeRefusedUnlessAllowed() throws Exception {
        Path archive = seal(PurgedDataDirs.of(EtcdVersion.V3_5));
        Path dataDir = tmp.resolve("downgraded.etcd");
        Launcher.Result refused = Launcher.run(tmp, "restore", archive.toString(), "--etcd-data-dir", dataDir.toString(),
                "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:2380", "--etcd-version", "3.4");
        assertEquals(1, refused.exit(), refused.stderr());
        assertTrue(refused.stderr().contains("downgrade") && refused.stderr().lines().count() == 1, refused.stderr());
        assertFalse(Files.exists(dataDir), "nothing is left of the refused restore, not even the directory it made");
        JsonNode allowed = restore(archive, dataDir, "m1", "m1=http://127.0.0.1:2380", "--etcd-version", "3.4",
                "--allow-downgrade");
        assertEquals("3.4", allowed.get("etcd_version").asText());
    }

    /**
     * An archive of a db that lags its WAL (an etcdctl snapshot taken 60 operations before the end), restored with
     * raftpipe's {@code --wal-dir}: the tail applies first, and the member serves what etcd served at the end.
     */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void anArchiveAndTheWalAfterItRestoreIntoAMemberAtTheEnd(EtcdVersion version) throws Exception {
        Path source = PurgedDataDirs.of(version);
        Served served = servedFrom(version, source);
        Path archive = tmp.resolve("lagging.snap");
        Launcher.Result sealed = Launcher.run(tmp, "seal", "--etcd-snapshot",
                source.resolveSibling(PurgedDataDirs.LAGGING_DB).toString(), "--out", archive.toString());
        assertEquals(0, sealed.exit(), sealed.stderr());
        int peer = EtcdProcess.freePort();
        Path dataDir = tmp.resolve("tail.etcd");
        restore(archive, dataDir, "m1", "m1=http://127.0.0.1:" + peer, "--wal-dir", source.resolve("member/wal").toString());
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", peer, tmp.resolve("tail.log"), List.of())) {
            assertEquals(served.rows(), BackendRows.of(etcd.rangeAll()));
            assertEquals(served.revision(), etcd.revision());
        }
        try (var left = Files.list(dataDir)) {
            assertEquals(List.of(dataDir.resolve("member")), left.toList(), "the scratch backend is removed");
        }
    }

    /**
     * SIGKILL when the temporary member appears, when its db is being written, when its WAL is: nothing half-made is
     * published, and a rerun makes the same member.
     */
    @Test
    void aKilledRestorePublishesNothingAndARerunMakesTheSameDataDir() throws Exception {
        Path archive = seal(PurgedDataDirs.of(EtcdVersion.V3_5));
        String cluster = "m1=http://127.0.0.1:2380";
        Path clean = tmp.resolve("clean.etcd");
        restore(archive, clean, "m1", cluster);
        int killed = 0;
        for (String marker : List.of("member.tmp-", "db.tmp-", ".wal")) {
            Path dataDir = tmp.resolve("killed-" + killed + ".etcd");
            Process p = new ProcessBuilder(Launcher.command(List.of(), "restore", archive.toString(), "--etcd-data-dir",
                    dataDir.toString(), "--name", "m1", "--initial-cluster", cluster, "--initial-cluster-token", "restored"))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
            while (p.isAlive() && !appeared(dataDir, marker)) {
                Thread.sleep(2);
            }
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            p.waitFor();
            // a kill that lands after the rename (a loaded machine notices the marker late) finds the member whole
            if (p.exitValue() != 0 && Files.notExists(dataDir.resolve("member"))) {
                killed++;
                restore(archive, dataDir, "m1", cluster);
            }
            assertEquals(MigrationOutputs.files(clean.resolve("member")), MigrationOutputs.files(dataDir.resolve("member")),
                    "what is at member/ is whole, whenever the kill landed");
        }
        assertTrue(killed >= 2, "the kills landed before the restores finished: " + killed);
    }

    private static boolean appeared(Path dir, String marker) {
        try (var all = Files.walk(dir)) {
            return all.anyMatch(p -> p.getFileName().toString().contains(marker));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // not there yet, or renamed while walked
        }
    }

    @Test
    void aRevisionBumpMovesTheRevisionAheadAndCompactsBelowIt() throws Exception {
        EtcdVersion version = EtcdVersion.V3_5;
        Path source = PurgedDataDirs.of(version);
        Served served = servedFrom(version, source);
        int peer = EtcdProcess.freePort();
        Path dataDir = tmp.resolve("bumped.etcd");
        restore(seal(source), dataDir, "m1", "m1=http://127.0.0.1:" + peer, "--bump-revision", "1000000",
                "--mark-compacted");
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", peer, tmp.resolve("bumped.log"), List.of())) {
            assertTrue(etcd.revision() >= served.revision() + 1_000_000, "revision " + etcd.revision());
            assertEquals(served.rows(), BackendRows.of(etcd.rangeAll()));
            IOException compacted = assertThrows(IOException.class, () -> etcd.post("/v3/kv/range",
                    "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"revision\":" + served.revision() + "}"));
            assertTrue(compacted.getMessage().contains("compacted"), compacted.getMessage());
        }
    }
}
