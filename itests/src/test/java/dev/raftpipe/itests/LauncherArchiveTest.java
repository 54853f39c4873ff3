package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.stages.BackendReplaySettings;
import dev.raftpipe.stages.BackendReplaySink;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.StateCursor;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.TruthFile;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** seal, verify, inspect and restore from the launcher JAR, on the real etcd fixtures. */
class LauncherArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @EtcdFixture("single")
    static Path single;
    @EtcdFixture("partition")
    static Path partition;

    @TempDir
    Path tmp;

    static JsonNode ok(Path dir, String... args) throws Exception {
        Launcher.Result r = Launcher.run(dir, args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.stderr());
        return JSON.readTree(r.stdout());
    }

    static void failsWith2(Path dir, String... args) throws Exception {
        Launcher.Result r = Launcher.run(dir, args);
        assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.stdout() + r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }

    static List<StateRecord> state(Path db) {
        List<StateRecord> out = new ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(db); StateCursor c = s.stateRecords()) {
            for (StateRecord r = c.next(); r != null; r = c.next()) {
                out.add(r);
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"single,n1", "partition,n1", "partition,n2", "partition,n3"})
    void replaySealVerifyRestoreGivesTheSameBackend(String fixture, String member) throws Exception {
        Path wal = EtcdFixtures.walDir(fixture.equals("single") ? single : partition, member);
        Path db = tmp.resolve("source.db");
        Path snap = tmp.resolve("backup.snap");
        Path key = Files.writeString(tmp.resolve("key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        ok(tmp, "replay", "--wal-dir", wal.toString(), "--backend", db.toString(), "--json");
        JsonNode sealed = ok(tmp, "seal", "--backend", db.toString(), "--out", snap.toString(), "--seal", "hmac",
                "--key-file", key.toString(), "--json");
        assertTrue(sealed.get("self_tested").asBoolean());
        JsonNode verified = ok(tmp, "verify", snap.toString(), "--key-file", key.toString(), "--json");
        assertEquals(sealed.get("checksum"), verified.get("checksum"));
        JsonNode inspected = ok(tmp, "inspect", snap.toString(), "--key-file", key.toString(), "--json");
        assertEquals(sealed.get("record_counts"), inspected.get("record_counts"));
        assertEquals("hmac-sha256", inspected.get("sealer").asText());

        Path restored = tmp.resolve("restored.db");
        JsonNode r = ok(tmp, "restore", snap.toString(), "--backend", restored.toString(), "--key-file", key.toString(),
                "--json");
        assertEquals(sealed.get("index").asLong(), r.get("consistent_index").asLong());
        assertEquals(state(db), state(restored), "kv, meta, members and leases are the source's");
    }

    @Test
    void anArchivePlusTheWalTailGivesWhatEtcdServed() throws Exception {
        Path early = tmp.resolve("early.db");
        ActorSystem system = ActorSystem.create("early");
        try {
            // a backend that had applied up to index 200 when it was sealed
            WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                    .via(RaftLog.resolve())
                    .filter(rec -> !(rec instanceof WalRecord.EntryRecord e) || e.entry().index() <= 200)
                    .map(rec -> rec instanceof WalRecord.StateRecord s ? new WalRecord.StateRecord(
                            new HardState(s.state().term(), s.state().vote(), Math.min(200, s.state().commit()))) : rec)
                    .runWith(BackendReplaySink.to(early, BackendReplaySettings.create()), system)
                    .toCompletableFuture().get();
        } finally {
            system.terminate();
        }
        Path snap = tmp.resolve("early.snap");
        assertEquals(200, ok(tmp, "seal", "--backend", early.toString(), "--out", snap.toString(), "--json")
                .get("index").asLong());
        Path restored = tmp.resolve("restored.db");
        JsonNode r = ok(tmp, "restore", snap.toString(), "--backend", restored.toString(), "--wal-dir",
                EtcdFixtures.walDir(single, "n1").toString(), "--json");
        assertEquals(217, r.at("/wal_tail/applied").asLong());
        assertEquals(200, r.at("/wal_tail/skipped").asLong());
        TruthFile truth = TruthFile.read(single.resolve("truth.json"));
        assertEquals(truth.rows(), BackendRows.of(restored));
        assertEquals(truth.revision(), r.get("revision").asLong());
    }

    @Test
    void aDamagedArchiveOrAWrongKeyRestoresNothing() throws Exception {
        Path db = tmp.resolve("source.db");
        ok(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(), "--backend", db.toString(), "--json");
        Path key = tmp.resolve("key");
        Files.write(key, new byte[32]);
        Path snap = tmp.resolve("good.snap");
        ok(tmp, "seal", "--backend", db.toString(), "--out", snap.toString(), "--seal", "aes-gcm", "--key-file",
                key.toString(), "--json");
        byte[] good = Files.readAllBytes(snap);
        Path target = tmp.resolve("target.db");

        Path wrongKey = Files.write(tmp.resolve("wrong"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        failsWith2(tmp, "verify", snap.toString(), "--key-file", wrongKey.toString());
        failsWith2(tmp, "restore", snap.toString(), "--backend", target.toString(), "--key-file", wrongKey.toString());

        Path bad = tmp.resolve("bad.snap");
        // the gzip header, meta.json, state.bin, the sums and their seal, the gzip trailer (every offset
        // is flipped in codecs' ArchiveTest; here the launcher's exit codes are what is checked)
        for (int offset : new int[]{5, 700, good.length / 2, good.length - 2000, good.length - 600, good.length - 3}) {
            byte[] flipped = good.clone();
            flipped[offset] ^= 0x20;
            Files.write(bad, flipped);
            failsWith2(tmp, "verify", bad.toString(), "--key-file", key.toString());
            if (offset == 700 || offset == good.length / 2) {
                failsWith2(tmp, "restore", bad.toString(), "--backend", target.toString(), "--key-file", key.toString());
            }
        }
        Files.write(bad, java.util.Arrays.copyOf(good, good.length - 100));
        failsWith2(tmp, "verify", bad.toString(), "--key-file", key.toString());
        failsWith2(tmp, "restore", bad.toString(), "--backend", target.toString(), "--key-file", key.toString());
        assertFalse(Files.exists(target), "nothing was restored");
        try (Stream<Path> files = Files.list(tmp)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertTrue(names.stream().noneMatch(n -> n.contains(".tmp-")), "no temporary files left: " + names);
        }
    }

    @Test
    void aBackendAheadOfTheArchiveNeedsForce() throws Exception {
        Path db = tmp.resolve("source.db");
        ok(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(partition, "n1").toString(), "--backend", db.toString(), "--json");
        Path snap = tmp.resolve("p.snap");
        ok(tmp, "seal", "--backend", db.toString(), "--out", snap.toString(), "--json");
        Path ahead = tmp.resolve("ahead.db");
        ok(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(), "--backend", ahead.toString(), "--json");
        byte[] before = Files.readAllBytes(ahead);
        failsWith2(tmp, "restore", snap.toString(), "--backend", ahead.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(ahead)));
        ok(tmp, "restore", snap.toString(), "--backend", ahead.toString(), "--force", "--json");
        assertEquals(state(db), state(ahead));
    }

    @Test
    void anExistingBackendIsReplacedOnlyWithForceEvenWhenBehind() throws Exception {
        Path db = tmp.resolve("source.db");
        ok(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(), "--backend", db.toString(), "--json");
        Path snap = tmp.resolve("s.snap");
        ok(tmp, "seal", "--backend", db.toString(), "--out", snap.toString(), "--json");
        Path behind = tmp.resolve("behind.db");
        ok(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(partition, "n1").toString(), "--backend", behind.toString(),
                "--json");
        byte[] before = Files.readAllBytes(behind);
        Launcher.Result refused = Launcher.run(tmp, "restore", snap.toString(), "--backend", behind.toString());
        assertEquals(3, refused.exit(), refused.stderr());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains(behind + ": already exists"), refused.stderr());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(behind)), "the backend is untouched");
        ok(tmp, "restore", snap.toString(), "--backend", behind.toString(), "--force", "--json");
        assertEquals(state(db), state(behind));
    }
}
