package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh random workload on a real etcd 3.4; its WAL, replayed by raftpipe, gives exactly the keys,
 * revisions, versions and leases etcd served, and etcd's revision.
 */
class ReplayMatchesEtcdTest {
    private static final int OPERATIONS = 900;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void replayGivesWhatEtcdServed(long seed) throws Exception {
        Path dataDir = tmp.resolve("etcd-" + seed);
        List<String> served;
        long revision;
        int refused;
        try (EtcdProcess etcd = EtcdProcess.start(dataDir, "w" + seed, tmp.resolve("etcd.log"))) {
            refused = new Workload(etcd, seed).run(OPERATIONS);
            served = BackendRows.of(etcd.rangeAll());
            revision = etcd.revision();
        }
        assertTrue(refused > 0 && refused < OPERATIONS / 2, "the workload should include some refused requests: "
                + refused);
        assertTrue(served.size() > 5, "keys served: " + served.size());

        Path db = tmp.resolve("replayed.db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", dataDir.resolve("member/wal").toString(),
                "--backend", db.toString(), "--json");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode report = new ObjectMapper().readTree(r.stdout());
        assertEquals(served, BackendRows.of(db));
        assertEquals(revision, report.get("revision").asLong());
        assertTrue(report.get("compact_revision").asLong() > 0, "the workload compacts");
    }
}
