package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.stages.WalSink;
import dev.raftpipe.stages.WalSinkSettings;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import org.apache.pekko.actor.ActorSystem;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.TruthFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code raftpipe replay} from the launcher JAR on the real etcd fixtures. */
class LauncherReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @EtcdFixture("single")
    static Path single;
    @EtcdFixture("partition")
    static Path partition;

    @TempDir
    Path tmp;

    static JsonNode replay(Path walDir, Path backend) throws Exception {
        Launcher.Result r = Launcher.run(backend.getParent(), "replay", "--wal-dir", walDir.toString(),
                "--backend", backend.toString(), "--json");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", r.stderr());
        return JSON.readTree(r.stdout());
    }

    @Test
    void aWalOfAnotherClusterIsRefusedUnlessAllowed() throws Exception {
        Path db = tmp.resolve("one-cluster.db");
        JsonNode first = replay(EtcdFixtures.walDir(single, "n1"), db);
        assertEquals("a0a183d2f3bd4165", first.get("cluster_id").asText(), "the backend takes the WAL's cluster ID");
        Path other = EtcdFixtures.walDir(partition, "n1");
        assertRefusedAsOtherCluster(Launcher.run(tmp, "replay", "--wal-dir", other.toString(), "--backend", db.toString()));
        try (var s = dev.raftpipe.store.Backend.snapshot(db)) {
            assertEquals(417, s.meta().consistentIndex(), "nothing of the other cluster was applied");
        }

        Path archive = tmp.resolve("one.snap");
        JsonNode sealed = JSON.readTree(Launcher.run(tmp, "seal", "--backend", db.toString(), "--out", archive.toString(),
                "--json").stdout());
        assertEquals("a0a183d2f3bd4165", sealed.get("cluster_id").asText(), "the archive records the cluster");
        Path restored = tmp.resolve("restored.db");
        assertRefusedAsOtherCluster(Launcher.run(tmp, "restore", archive.toString(), "--backend", restored.toString(),
                "--wal-dir", other.toString()));
        Launcher.Result allowed = Launcher.run(tmp, "restore", archive.toString(), "--backend",
                tmp.resolve("allowed.db").toString(), "--wal-dir", other.toString(), "--allow-other-cluster");
        assertEquals(0, allowed.exit(), allowed.stderr());
        Launcher.Result replayed = Launcher.run(tmp, "replay", "--wal-dir", other.toString(), "--backend", db.toString(),
                "--allow-other-cluster");
        assertEquals(0, replayed.exit(), "replay takes the flag too: " + replayed.stderr());
    }

    private static void assertRefusedAsOtherCluster(Launcher.Result r) {
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("belongs to cluster adc44e052b80f7d4")
                && r.stderr().contains("holds cluster a0a183d2f3bd4165"), r.stderr());
    }

    @Test
    void replaysTheSingleFixtureToWhatEtcdServedAndTwiceChangesNothing() throws Exception {
        Path db = tmp.resolve("single.db");
        JsonNode first = replay(EtcdFixtures.walDir(single, "n1"), db);
        TruthFile truth = TruthFile.read(single.resolve("truth.json"));
        assertEquals(truth.rows(), BackendRows.of(db));
        assertEquals(417, first.get("applied").asLong());
        assertEquals(0, first.get("skipped").asLong());
        assertEquals(417, first.get("last_index").asLong());
        assertEquals(417, first.get("consistent_index").asLong());
        assertEquals(truth.revision(), first.get("revision").asLong());
        assertEquals(1, first.get("first_applied_index").asLong());

        JsonNode second = replay(EtcdFixtures.walDir(single, "n1"), db);
        assertEquals(0, second.get("applied").asLong());
        assertEquals(417, second.get("skipped").asLong());
        assertTrue(second.get("first_applied_index").isNull());
        assertEquals(truth.revision(), second.get("revision").asLong());
        assertEquals(truth.rows(), BackendRows.of(db));
    }

    @ParameterizedTest
    @ValueSource(strings = {"n1", "n2", "n3"})
    void replaysEveryPartitionMemberWithoutItsSupersededEntries(String member) throws Exception {
        Path db = tmp.resolve(member + ".db");
        JsonNode r = replay(EtcdFixtures.walDir(partition, member), db);
        TruthFile truth = TruthFile.read(partition.resolve("truth-" + member + ".json"));
        assertEquals(truth.rows(), BackendRows.of(db));
        assertEquals(truth.revision(), r.get("revision").asLong());
        // etcd's status was read before its last no-op entries: the WAL may go a little further
        assertTrue(r.get("consistent_index").asLong() >= truth.raftIndex(), r.toString());
    }

    @Test
    void aWalWithAGapBeforeItFailsWithExit2AndAppliesNothing() throws Exception {
        Path source = EtcdFixtures.walDir(single, "n1");
        Path db = tmp.resolve("gap.db");
        Path purged = purgedCopy(source, tmp.resolve("purged-data"));
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", purged.toString(), "--backend", db.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("consistent_index is 0"), r.stderr());
        assertFalse(Files.exists(db), "nothing applied, no backend left behind");
    }

    /** The fixture's WAL rewritten in 16 KiB segments, without the first one. */
    private static Path purgedCopy(Path source, Path dataDir) throws Exception {
        Path wal = dataDir.resolve("member/wal");
        WalSinkSettings settings = WalSinkSettings.create().withSegmentSize(16 * 1024).withFsync(false);
        ActorSystem system = ActorSystem.create("purge");
        try {
            WalSource.fromDirectory(source, WalSourceSettings.create())
                    .runWith(WalSink.toDirectory(wal, settings), system)
                    .toCompletableFuture().get();
        } finally {
            system.terminate();
        }
        try (Stream<Path> segments = Files.list(wal)) {
            Files.delete(segments.sorted().findFirst().orElseThrow());
        }
        return wal;
    }

    @Test
    void aMissingWalDirIsOneLineAndNoBackend() throws Exception {
        Path db = tmp.resolve("none.db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", tmp.resolve("nope").toString(),
                "--backend", db.toString());
        assertEquals(3, r.exit());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertFalse(Files.exists(db));
    }
}
