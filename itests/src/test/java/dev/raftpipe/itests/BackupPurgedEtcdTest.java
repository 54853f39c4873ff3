package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.redact.ValueMask;
import dev.raftpipe.codecs.wal.WalSegment;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code backup} with mask and drop rules of data dirs whose WAL real etcd 3.4 and 3.5 purged (so their db holds
 * most of the state, and history the rules must reach), and the same etcd started on the backup with
 * {@code --force-new-cluster}: what it serves against what etcd served from the source.
 */
class BackupPurgedEtcdTest {
    private static final byte[] MASK_KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"
            + "101112131415161718191a1b1c1d1e1f");

    @TempDir
    Path tmp;

    /** What etcd served from the source: every key, the revision, and the older values of the late masked key. */
    record Served(Map<String, EtcdProcess.KeyValue> kvs, long revision, Map<Long, String> lateHistory) {
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aRedactedBackupOfAPurgedDataDirServesWhatEtcdServedWithTheRulesApplied(EtcdVersion version) throws Exception {
        Path fixture = PurgedDataDirs.of(version);
        assertTrue(WalSegment.list(fixture.resolve("member/wal")).get(0).index() > 1, "etcd purged the WAL");
        Served source = servedBySource(version, fixture);
        assertTrue(source.kvs().containsKey(PurgedDataDirs.MASKED + "early"), "the fixture wrote the prefixes");
        assertEquals(2, source.lateHistory().size(), source.toString());

        Path keyFile = Files.write(tmp.resolve("mask.key"), MASK_KEY);
        Path backupDir = tmp.resolve("backup");
        Path backend = tmp.resolve("backup.db");
        Launcher.Result r = Launcher.run(tmp, "backup", "--data-dir", fixture.toString(), "--backup-dir",
                backupDir.toString(), "--mask-prefix", PurgedDataDirs.MASKED, "--redact-prefix", PurgedDataDirs.DROPPED,
                "--mask-key-file", keyFile.toString(), "--backend", backend.toString(), "--json");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode report = new ObjectMapper().readTree(r.stdout());
        assertTrue(report.at("/db/masked_revisions").asLong() >= 4, report.toString());
        assertTrue(report.at("/db/dropped_revisions").asLong() >= 4, report.toString());
        assertEquals(source.revision(), report.at("/db/revision_placeholder").asLong(),
                "the newest revision was a dropped key's: " + report);

        assertNoOriginalValueIn(backupDir, sensitiveValues(source));

        ValueMask mask = new ValueMask(MASK_KEY);
        try (EtcdProcess etcd = EtcdProcess.start(version, backupDir, "restored", tmp.resolve("etcd.log"),
                List.of("--force-new-cluster"))) {
            Map<String, EtcdProcess.KeyValue> served = byKey(etcd.rangeAll());
            Map<String, EtcdProcess.KeyValue> expected = new LinkedHashMap<>();
            for (EtcdProcess.KeyValue kv : source.kvs().values()) {
                if (kv.key().startsWith(PurgedDataDirs.DROPPED)) {
                    continue;
                }
                String value = kv.key().startsWith(PurgedDataDirs.MASKED) ? masked(mask, kv.value()) : kv.value();
                expected.put(kv.key(), new EtcdProcess.KeyValue(kv.key(), value, kv.createRevision(), kv.modRevision(),
                        kv.version(), kv.lease()));
            }
            assertEquals(expected, served);
            assertEquals(source.revision(), etcd.revision(), "the revision never goes backwards");
            for (Map.Entry<Long, String> old : source.lateHistory().entrySet()) {
                EtcdProcess.KeyValue then = byKey(etcd.rangeAll(old.getKey())).get(PurgedDataDirs.MASKED + "late");
                assertEquals(masked(mask, old.getValue()), then.value(), "at revision " + old.getKey());
            }
            List<String> members = etcd.members();
            assertEquals(1, members.size(), members.toString());
            assertTrue(members.get(0).startsWith(report.at("/new_ids/node_id").asText() + " "), members + " " + report);
            // the backend is what etcd serves from the backup
            assertEquals(BackendRows.of(etcd.rangeAll()), BackendRows.of(backend));
        }
    }

    /** Every value ever written under the two prefixes that etcd still serves at some revision. */
    private static List<String> sensitiveValues(Served source) {
        List<String> values = new ArrayList<>(source.lateHistory().values());
        source.kvs().values().stream()
                .filter(kv -> kv.key().startsWith(PurgedDataDirs.MASKED) || kv.key().startsWith(PurgedDataDirs.DROPPED))
                .forEach(kv -> values.add(kv.value()));
        return values;
    }

    private Served servedBySource(EtcdVersion version, Path fixture) throws Exception {
        Path copy = PurgedDataDirs.copy(fixture, tmp.resolve("source-copy"));
        try (EtcdProcess etcd = EtcdProcess.start(version, copy, "m1", tmp.resolve("source.log"), List.of())) {
            Map<String, EtcdProcess.KeyValue> kvs = byKey(etcd.rangeAll());
            EtcdProcess.KeyValue late = kvs.get(PurgedDataDirs.MASKED + "late");
            Map<Long, String> history = new LinkedHashMap<>();
            // each older version sits two revisions below the next: the dropped key's put is between them
            for (long rev = late.modRevision() - 4; rev < late.modRevision(); rev += 2) {
                history.put(rev, byKey(etcd.rangeAll(rev)).get(late.key()).value());
            }
            return new Served(kvs, etcd.revision(), history);
        }
    }

    private static String masked(ValueMask mask, String value) {
        return new String(mask.mask(value.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    private static Map<String, EtcdProcess.KeyValue> byKey(List<EtcdProcess.KeyValue> kvs) {
        return kvs.stream().collect(Collectors.toMap(EtcdProcess.KeyValue::key, Function.identity()));
    }

    static void assertNoOriginalValueIn(Path dir, List<String> values) throws Exception {
        assertFalse(values.isEmpty());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String v : values) {
                    assertFalse(bytes.contains(v), "an original value appears in " + f + ": " + v);
                }
            }
        }
    }
}
