package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.bolt.BoltWriter;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.TruthFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What raftpipe writes, in the hands of etcd's own tools: exports of archives of every bundled fixture member are
 * taken by both {@code etcdutl snapshot restore} (3.5.16) and {@code etcdctl snapshot restore} (3.4.23) with their
 * hash checks, and etcd of each version started on the result serves what the member served (truth*.json) at its
 * revision, as does etcd 3.4 started on raftpipe's own {@code restore --etcd-data-dir} of the archive; {@code etcdutl snapshot status} (bbolt's consistency check) agrees with {@code db inspect} on
 * them and on a sample of the writer's seeded random corpus.
 */
class ExportFixturesEtcdToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyFixtureMembersExportIsRestoredByBothVersionsTools() throws Exception {
        Path single = EtcdFixtures.extract("single", tmp.resolve("fx"));
        Path partition = EtcdFixtures.extract("partition", tmp.resolve("fx"));
        List<Path> members = List.of(single.resolve("n1.etcd"), partition.resolve("n1.etcd"),
                partition.resolve("n2.etcd"), partition.resolve("n3.etcd"));
        List<Path> truths = List.of(single.resolve("truth.json"), partition.resolve("truth-n1.json"),
                partition.resolve("truth-n2.json"), partition.resolve("truth-n3.json"));
        int i = 0;
        for (Path member : members) {
            TruthFile truth = TruthFile.read(truths.get(i));
            i++;
            Path archive = tmp.resolve("m" + i + ".snap");
            assertOk(Launcher.run(tmp, "seal", "--data-dir", member.toString(), "--out", archive.toString()));
            Path exported = tmp.resolve("m" + i + ".db");
            assertOk(Launcher.run(tmp, "export", archive.toString(), "--etcd-snapshot", exported.toString()));
            assertStatusAgrees(exported);
            for (EtcdVersion version : EtcdVersion.values()) {
                int port = EtcdProcess.freePort();
                Path restored = tmp.resolve("r" + version.label() + "-" + i);
                version.restoreSnapshot(exported, restored, "x", port);
                try (EtcdProcess etcd = EtcdProcess.start(version, restored, "x", port,
                        tmp.resolve("etcd-" + version.label() + "-" + i + ".log"), List.of())) {
                    assertEquals(truth.rows(), BackendRows.of(etcd.rangeAll()), member + " on " + version);
                    assertEquals(truth.revision(), etcd.revision(), member + " on " + version);
                }
            }
            // raftpipe's own restore of the same archive, started as that member by the etcd that made it (3.4)
            int port = EtcdProcess.freePort();
            Path restored = tmp.resolve("raftpipe-" + i);
            assertOk(Launcher.run(tmp, "restore", archive.toString(), "--etcd-data-dir", restored.toString(), "--name",
                    "x", "--initial-cluster", "x=http://127.0.0.1:" + port));
            try (EtcdProcess etcd = EtcdProcess.start(EtcdVersion.V3_4, restored, "x", port,
                    tmp.resolve("raftpipe-" + i + ".log"), List.of())) {
                assertEquals(truth.rows(), BackendRows.of(etcd.rangeAll()), member + " restored by raftpipe");
                assertEquals(truth.revision(), etcd.revision(), member + " restored by raftpipe");
            }
        }
    }

    @Test
    void aSampleOfTheWritersRandomCorpusPassesBboltsCheck() throws Exception {
        Random r = new Random(18);
        for (int c = 0; c < 4; c++) {
            Path file = tmp.resolve("corpus-" + c + ".db");
            try (BoltWriter w = BoltWriter.create(file, 4096)) {
                int buckets = 1 + r.nextInt(5);
                for (int b = 0; b < buckets; b++) {
                    w.beginBucket("bucket-" + (char) ('a' + b));
                    int keys = b == 0 ? 0 : r.nextInt(c == 3 ? 60_000 : 2_000);
                    for (int k = 0; k < keys; k++) {
                        byte[] value = new byte[r.nextInt(30) == 0 ? 4096 + r.nextInt(9000) : r.nextInt(120)];
                        r.nextBytes(value);
                        w.put(String.format("%08d", k).getBytes(StandardCharsets.US_ASCII), value);
                    }
                    w.endBucket();
                }
                w.finish();
            }
            assertStatusAgrees(file);
        }
    }

    private void assertStatusAgrees(Path file) throws Exception {
        JsonNode status = JSON.readTree(EtcdVersion.V3_5.run("etcdutl", "snapshot", "status", file.toString(), "-w", "json"));
        Launcher.Result r = Launcher.run(tmp, "db", "inspect", file.toString(), "--skip-hash-check", "--json");
        assertOk(r);
        JsonNode inspected = JSON.readTree(r.stdout());
        assertEquals(status.get("hash").asLong(), inspected.get("status_hash").asLong(), file.toString());
        assertEquals(status.get("revision").asLong(), inspected.get("status_revision").asLong(), file.toString());
        assertEquals(status.get("totalKey").asLong(), inspected.get("total_key").asLong(), file.toString());
    }

    private static void assertOk(Launcher.Result r) {
        assertEquals(0, r.exit(), r.stderr());
    }
}
