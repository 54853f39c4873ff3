package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export --etcd-snapshot} of an archive sealed from a data dir that real etcd 3.4 / 3.5 purged, restored
 * with that version's own tool (etcdutl 3.5, etcdctl 3.4) with its hash check, and started as that member: it
 * serves exactly what etcd served from the source, at the same revision, takes writes, survives a restart, and
 * answers a read below the export's revision with "compacted".
 */
class ExportEtcdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void anExportedArchiveRestoresIntoAMemberThatServesTheSource(EtcdVersion version) throws Exception {
        Path source = PurgedDataDirs.of(version);
        List<String> served;
        long revision;
        try (EtcdProcess etcd = EtcdProcess.start(version, PurgedDataDirs.copy(source, tmp.resolve("source.etcd")), "m1",
                tmp.resolve("source.log"), List.of())) {
            served = BackendRows.of(etcd.rangeAll());
            revision = etcd.revision();
        }

        Path archive = tmp.resolve("a.snap");
        assertOk(Launcher.run(tmp, "seal", "--data-dir", source.toString(), "--out", archive.toString()));
        Path snapshot = tmp.resolve("exported.db");
        Launcher.Result export = Launcher.run(tmp, "export", archive.toString(), "--etcd-snapshot", snapshot.toString(),
                "--json");
        assertOk(export);
        JsonNode report = JSON.readTree(export.stdout());
        assertEquals(version.label(), report.get("etcd_version").asText(), "the layout of the etcd the state came from");

        JsonNode status = JSON.readTree(EtcdVersion.V3_5.run("etcdutl", "snapshot", "status", snapshot.toString(),
                "-w", "json"));
        assertEquals(report.get("status_hash").asLong(), status.get("hash").asLong());

        int peer = EtcdProcess.freePort();
        String peerUrl = "http://127.0.0.1:" + peer;
        Path restored = tmp.resolve("restored.etcd");
        version.run(version == EtcdVersion.V3_5 ? "etcdutl" : "etcdctl", "snapshot", "restore", snapshot.toString(),
                "--data-dir", restored.toString(), "--name", "m1", "--initial-cluster", "m1=" + peerUrl,
                "--initial-advertise-peer-urls", peerUrl);
        try (EtcdProcess etcd = EtcdProcess.start(version, restored, "m1", peer, tmp.resolve("restored.log"), List.of())) {
            assertEquals(served, BackendRows.of(etcd.rangeAll()));
            assertEquals(revision, etcd.revision());
            IOException compacted = assertThrows(IOException.class, () -> etcd.post("/v3/kv/range",
                    "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"revision\":" + (revision - 1) + "}"));
            assertTrue(compacted.getMessage().contains("compacted"), compacted.getMessage());
            etcd.post("/v3/kv/put", "{\"key\":\"L2FmdGVy\",\"value\":\"eA==\"}");
        }
        try (EtcdProcess etcd = EtcdProcess.start(version, restored, "m1", peer, tmp.resolve("again.log"), List.of())) {
            assertEquals(served.size() + 1, etcd.rangeAll().size());
            assertEquals(revision + 1, etcd.revision());
        }
    }

    private static void assertOk(Launcher.Result r) {
        assertEquals(0, r.exit(), r.stderr());
    }
}
