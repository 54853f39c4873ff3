package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    static Path fixtures;
    static Path single;
    static Truth truth;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() throws Exception {
        single = EtcdFixtures.extract("single", fixtures);
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
        Map<String, EtcdProcess.KeyValue> served = served(backupDir);
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
