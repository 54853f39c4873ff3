package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code raftpipe backup} of the single fixture, and a real etcd 3.4 started on the backup with
 * --force-new-cluster: what it serves against truth.json.
 */
class BackupEtcdTest {
    private static final String SECRETS = "/registry/secrets/";

    @EtcdFixture("single")
    static Path single;
    static Truth truth;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() throws Exception {
        truth = Truth.read(single.resolve("truth.json"));
    }

    JsonNode backup(Path backupDir, String... rules) throws Exception {
        List<String> args = new ArrayList<>(List.of("backup", "--data-dir", single.resolve("n1.etcd").toString(),
                "--backup-dir", backupDir.toString(), "--json"));
        args.addAll(List.of(rules));
        Launcher.Result r = Launcher.run(tmp, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    Map<String, EtcdProcess.KeyValue> served(Path backupDir) throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(backupDir, "restored", tmp.resolve("etcd.log"),
                List.of("--force-new-cluster"))) {
            return etcd.rangeAll().stream().collect(Collectors.toMap(EtcdProcess.KeyValue::key, Function.identity()));
        }
    }

    @Test
    void aMaskedBackupServesTheOriginalKeysRevisionsAndVersions() throws Exception {
        Path backupDir = tmp.resolve("masked");
        JsonNode report = backup(backupDir, "--mask-prefix", SECRETS);
        assertTrue(report.at("/rewritten/masked_values").asLong() > 0);
        assertMasked(served(backupDir), truth, backupDir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"n1", "n2", "n3"})
    void maskedBackupsOfThePartitionMembersServeWhatTheyServed(String member) throws Exception {
        Path partition = EtcdFixtures.extract("partition", tmp.resolve("fixture"));
        Path backupDir = tmp.resolve("masked-" + member);
        Launcher.Result r = Launcher.run(tmp, "backup", "--data-dir", partition.resolve(member + ".etcd").toString(),
                "--backup-dir", backupDir.toString(), "--mask-prefix", SECRETS, "--mask-prefix", "/round/0/after-1",
                "--json");
        assertEquals(0, r.exit(), r.stderr());
        Truth memberTruth = Truth.read(partition.resolve("truth-" + member + ".json"));
        Map<String, EtcdProcess.KeyValue> served = served(backupDir);
        assertEquals(memberTruth.kvs().size(), served.size());
        for (EtcdProcess.KeyValue kv : memberTruth.kvs()) {
            EtcdProcess.KeyValue s = served.get(kv.key());
            assertEquals(List.of(kv.createRevision(), kv.modRevision(), kv.version()),
                    List.of(s.createRevision(), s.modRevision(), s.version()), kv.key());
            assertEquals(kv.key().startsWith("/round/0/after-1"), !kv.value().equals(s.value()), kv.key());
        }
    }

    private static void assertMasked(Map<String, EtcdProcess.KeyValue> served, Truth truth, Path backupDir)
            throws Exception {
        assertEquals(truth.kvs().size(), served.size());
        List<String> secretValues = new ArrayList<>();
        for (EtcdProcess.KeyValue kv : truth.kvs()) {
            EtcdProcess.KeyValue s = served.get(kv.key());
            assertEquals(List.of(kv.createRevision(), kv.modRevision(), kv.version()),
                    List.of(s.createRevision(), s.modRevision(), s.version()), kv.key());
            if (kv.key().startsWith(SECRETS)) {
                assertNotEquals(kv.value(), s.value(), kv.key());
                secretValues.add(kv.value());
            } else {
                assertEquals(kv.value(), s.value(), kv.key());
            }
        }
        assertNoValueIn(backupDir, secretValues);
    }

    @Test
    void aRedactedBackupServesNothingUnderThePrefix() throws Exception {
        Path backupDir = tmp.resolve("redacted");
        Path db = tmp.resolve("redacted.db");
        JsonNode report = backup(backupDir, "--redact-prefix", SECRETS, "--backend", db.toString());
        assertEquals(417, report.get("backend_consistent_index").asLong());
        Map<String, EtcdProcess.KeyValue> served = served(backupDir);
        assertTrue(served.keySet().stream().noneMatch(k -> k.startsWith(SECRETS)));
        long differing = truth.kvs().stream().filter(kv -> !kv.key().startsWith(SECRETS))
                .filter(kv -> served.get(kv.key()) == null || !served.get(kv.key()).value().equals(kv.value()))
                .count();
        assertTrue(differing <= report.at("/rewritten/other_keys_in_dropped_txns").asLong(),
                differing + " keys differ: " + report);
        // the backend holds exactly what etcd serves from the backup's WAL
        assertEquals(BackendRows.of(new ArrayList<>(served.values())), BackendRows.of(db));
        assertNoValueIn(backupDir, truth.kvs().stream().filter(kv -> kv.key().startsWith(SECRETS))
                .map(EtcdProcess.KeyValue::value).toList());
    }

    @Test
    void aBackupWithoutRulesCopiesTheSnapshotsAndServesEverything() throws Exception {
        Path backupDir = tmp.resolve("plain");
        JsonNode report = backup(backupDir);
        assertTrue(report.get("snap_copied").asBoolean());
        assertTrue(Files.exists(backupDir.resolve("member/snap/db")));
        Map<String, EtcdProcess.KeyValue> served = served(backupDir);
        assertEquals(truth.kvs().stream().collect(Collectors.toMap(EtcdProcess.KeyValue::key, Function.identity())),
                served);
    }

    @Test
    void aBackupOfAWalWithATermChangeKeepsTheEffectiveIndexes() throws Exception {
        Path partition = EtcdFixtures.extract("partition", tmp.resolve("fixture"));
        Path backupDir = tmp.resolve("partition-n2");
        Launcher.Result r = Launcher.run(tmp, "backup", "--data-dir", partition.resolve("n2.etcd").toString(),
                "--backup-dir", backupDir.toString(), "--mask-prefix", "/nothing/", "--json");
        assertEquals(0, r.exit(), r.stderr());
        ObjectMapper json = new ObjectMapper();
        JsonNode source = json.readTree(Launcher.run(tmp, "wal", "inspect", "--json",
                partition.resolve("n2.etcd/member/wal").toString()).stdout());
        JsonNode copy = json.readTree(Launcher.run(tmp, "wal", "inspect", "--json",
                backupDir.resolve("member/wal").toString()).stdout());
        assertEquals(8, source.get("overwritten").asLong());
        assertEquals(0, copy.get("overwritten").asLong(), "the superseded entries stay out");
        for (String field : List.of("entries", "first_index", "last_index", "last_term")) {
            assertEquals(source.get(field), copy.get(field), field);
        }
    }

    @Test
    void aPurgedWalWithoutItsDbIsRefused() throws Exception {
        // etcd purged the first segments: only a copy of the WAL from its second segment on
        Path dataDir = tmp.resolve("purged.etcd");
        Path wal = Files.createDirectories(dataDir.resolve("member/wal"));
        dev.raftpipe.itests.bench.BulkWal.write(EtcdFixtures.walDir(single, "n1"), tmp.resolve("big"), 70_000, 1024);
        try (Stream<Path> segments = Files.list(tmp.resolve("big/member/wal"))) {
            List<Path> sorted = segments.sorted().toList();
            assertTrue(sorted.size() >= 2);
            for (Path seg : sorted.subList(1, sorted.size())) {
                Files.move(seg, wal.resolve(seg.getFileName()));
            }
        }
        Path backupDir = tmp.resolve("refused");
        Launcher.Result r = Launcher.run(tmp, "backup", "--data-dir", dataDir.toString(), "--backup-dir",
                backupDir.toString(), "--redact-prefix", SECRETS);
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("purged") && r.stderr().contains("no member/snap/db"), r.stderr());
        assertFalse(Files.exists(backupDir));
    }

    @Test
    void theWalCanGoElsewhereAndKeepItsIds() throws Exception {
        Path backupDir = tmp.resolve("split");
        Path walDir = tmp.resolve("wals/split");
        JsonNode report = backup(backupDir, "--backup-wal-dir", walDir.toString(), "--keep-ids", "--keep-membership");
        assertTrue(report.path("new_ids").isMissingNode(), report.toString());
        assertEquals(0, report.at("/rewritten/total").asLong());
        assertFalse(Files.exists(backupDir.resolve("member/wal")));
        ObjectMapper json = new ObjectMapper();
        JsonNode source = json.readTree(Launcher.run(tmp, "wal", "inspect", "--json",
                single.resolve("n1.etcd/member/wal").toString()).stdout());
        JsonNode copy = json.readTree(Launcher.run(tmp, "wal", "inspect", "--json", walDir.toString()).stdout());
        assertEquals(source.get("metadata"), copy.get("metadata"));
        assertEquals(source.get("entries"), copy.get("entries"));
        assertEquals(Launcher.run(tmp, "wal", "dump", single.resolve("n1.etcd/member/wal").toString()).stdout(),
                Launcher.run(tmp, "wal", "dump", walDir.toString()).stdout(), "nothing rewritten without rules");
    }

    @Test
    void aBackupIntoAnExistingDirectoryIsRefused() throws Exception {
        Path existing = Files.createDirectories(tmp.resolve("exists"));
        Launcher.Result r = Launcher.run(tmp, "backup", "--data-dir", single.resolve("n1.etcd").toString(),
                "--backup-dir", existing.toString());
        assertEquals(3, r.exit());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }

    private static void assertNoValueIn(Path dir, List<String> values) throws Exception {
        assertFalse(values.isEmpty());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String v : values) {
                    assertFalse(bytes.contains(v), "an original value appears in " + f);
                }
            }
        }
    }
}
