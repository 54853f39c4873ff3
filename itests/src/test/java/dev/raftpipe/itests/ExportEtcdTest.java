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
        Path restored = tmp.resolve("restored.etcd");
        version.restoreSnapshot(snapshot, restored, "m1", peer);
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

    /**
     * A history export of an etcdctl snapshot of a member with compactions in its history: the member restored from
     * it computes the source member's hashkv.
     */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aHistoryExportKeepsTheSourcesHashKv(EtcdVersion version) throws Exception {
        Path snapshot = tmp.resolve("source.snapshot");
        long revision;
        long hashKv;
        try (EtcdProcess etcd = EtcdProcess.start(version, tmp.resolve("source.etcd"), "m1", tmp.resolve("source.log"),
                List.of())) {
            new Workload(etcd, 41).withLongLeases().run(400);
            etcd.post("/v3/kv/compaction", "{\"revision\":" + (etcd.revision() - 20) + ",\"physical\":true}");
            new Workload(etcd, 42).withLongLeases().withoutCompactions().run(50);
            version.run("etcdctl", "--endpoints", etcd.clientUrl(), "snapshot", "save", snapshot.toString());
            revision = etcd.revision();
            hashKv = hashKv(version, etcd.clientUrl(), revision);
        }
        Path exported = tmp.resolve("history.db");
        assertOk(Launcher.run(tmp, "export", snapshot.toString(), "--etcd-snapshot", exported.toString(), "--history"));
        int peer = EtcdProcess.freePort();
        Path restored = tmp.resolve("restored.etcd");
        version.restoreSnapshot(exported, restored, "m1", peer);
        try (EtcdProcess etcd = EtcdProcess.start(version, restored, "m1", peer, tmp.resolve("restored.log"), List.of())) {
            assertEquals(hashKv, hashKv(version, etcd.clientUrl(), revision));
        }
    }

    private static long hashKv(EtcdVersion version, String endpoint, long revision) throws Exception {
        return JSON.readTree(version.run("etcdctl", "--endpoints", endpoint, "endpoint", "hashkv", "--rev",
                Long.toString(revision), "-w", "json")).path(0).path("HashKV").path("hash").asLong();
    }

    private static void assertOk(Launcher.Result r) {
        assertEquals(0, r.exit(), r.stderr());
    }
}
