package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code seal --etcd-snapshot} of an {@code etcdctl snapshot save} file and {@code seal --data-dir} of the stopped
 * member, each restored into a backend: what the real etcd 3.4 / 3.5 member served when the snapshot was taken.
 */
class SealEtcdSourcesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Served(List<String> rows, long revision, List<String> members, List<String> leases) {
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void snapshotFilesAndDataDirsSealIntoWhatTheMemberServed(EtcdVersion version) throws Exception {
        Path dataDir = tmp.resolve("member.etcd");
        Path snapshot = tmp.resolve("etcd.snapshot");
        Served served;
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", tmp.resolve("etcd.log"),
                List.of("--snapshot-count", "200"))) {
            new Workload(etcd, 31).withLongLeases().run(400);
            version.run("etcdctl", "--endpoints", etcd.clientUrl(), "snapshot", "save", snapshot.toString());
            served = new Served(BackendRows.of(etcd.rangeAll()), etcd.revision(), etcd.members(), etcd.leases());
        }
        assertTrue(served.rows().size() > 5 && !served.leases().isEmpty(), served.toString());

        assertEquals(served, sealAndRestore("etcd-snapshot", "--etcd-snapshot", snapshot));
        assertEquals(served, sealAndRestore("data-dir", "--data-dir", dataDir));
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("scratch")), "scratch backends removed");
        }
    }

    private Served sealAndRestore(String kind, String flag, Path source) throws Exception {
        Path archive = tmp.resolve(kind + ".snap");
        Launcher.Result sealed = Launcher.run(tmp, "seal", flag, source.toString(), "--out", archive.toString(), "--json");
        assertEquals(0, sealed.exit(), sealed.stderr());
        JsonNode report = JSON.readTree(sealed.stdout());
        assertEquals(kind, report.get("source").asText());
        Path backend = tmp.resolve(kind + ".db");
        Launcher.Result restored = Launcher.run(tmp, "restore", archive.toString(), "--backend", backend.toString());
        assertEquals(0, restored.exit(), restored.stderr());
        List<String> members = new ArrayList<>();
        List<String> leases = new ArrayList<>();
        long revision;
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            s.members().forEach(m -> members.add(Long.toHexString(m.id()) + " " + m.name() + " "
                    + JSON.valueToTree(m.peerUrls())));
            s.forEachLease(l -> leases.add(Long.toHexString(l.id())));
            revision = s.meta().revision();
        }
        members.sort(null);
        leases.sort(null);
        return new Served(BackendRows.of(backend), revision, members, leases);
    }
}
