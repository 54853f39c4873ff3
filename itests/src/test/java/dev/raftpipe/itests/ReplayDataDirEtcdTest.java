package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.wal.WalSegment;
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
 * {@code replay --data-dir} on data dirs whose WAL real etcd 3.4 and 3.5 purged: the backend equals, row by
 * row, what etcd serves after starting on a copy of that data dir (keys, values, revisions, versions, leases,
 * the revision, the members).
 */
class ReplayDataDirEtcdTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void replayOfAPurgedDataDirIsWhatEtcdServesFromIt(EtcdVersion version) throws Exception {
        JsonNode report = replayMatchesEtcd(version, PurgedDataDirs.of(version));
        assertEquals(0, report.get("applied").asLong(), "etcd stopped cleanly: its db holds every entry");
    }

    /** The db of a member that stopped before its backend committed the last entries: the WAL tail replays. */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aDbThatLagsItsWalGetsTheTail(EtcdVersion version) throws Exception {
        Path dataDir = PurgedDataDirs.withLaggingDb(version, tmp.resolve("lagging.etcd"));
        JsonNode report = replayMatchesEtcd(version, dataDir);
        assertTrue(report.get("applied").asLong() > 30, "the WAL tail after the db applies: " + report);
    }

    private JsonNode replayMatchesEtcd(EtcdVersion version, Path dataDir) throws Exception {
        List<WalSegment> segments = WalSegment.list(dataDir.resolve("member/wal"));
        assertTrue(segments.get(0).index() > 1, "etcd purged the WAL: " + segments);

        Path backend = tmp.resolve("replayed-" + dataDir.getFileName() + ".db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--data-dir", dataDir.toString(), "--backend", backend.toString(),
                "--json");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode report = new ObjectMapper().readTree(r.stdout());
        assertTrue(report.get("db_consistent_index").asLong() >= segments.get(0).index() - 1, report.toString());
        assertTrue(report.get("snap_index").asLong() > 1, report.toString());

        List<String> members = new ArrayList<>();
        List<String> leases = new ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            s.members().forEach(m -> members.add(Long.toHexString(m.id()) + " " + m.name() + " "
                    + new ObjectMapper().valueToTree(m.peerUrls())));
            s.forEachLease(l -> leases.add(Long.toHexString(l.id())));
        }
        members.sort(null);
        leases.sort(null);

        Path copy = PurgedDataDirs.copy(dataDir, tmp.resolve("copy-" + dataDir.getFileName()));
        try (EtcdProcess etcd = EtcdProcess.start(version, copy, "m1", tmp.resolve("etcd.log"), List.of())) {
            assertEquals(BackendRows.of(etcd.rangeAll()), BackendRows.of(backend));
            assertEquals(etcd.revision(), report.get("revision").asLong());
            assertEquals(etcd.members(), members);
            assertEquals(etcd.leases(), leases);
            assertTrue(!leases.isEmpty(), "the workload keeps leases");
        }
        return report;
    }
}
