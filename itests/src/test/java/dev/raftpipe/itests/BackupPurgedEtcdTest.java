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
    void aRedactedBackupOfAPurgedDataDirOrItsRunningMemberServesWhatEtcdServedWithTheRulesApplied(EtcdVersion version)
            throws Exception {
        Path fixture = PurgedDataDirs.of(version);
        assertTrue(WalSegment.list(fixture.resolve("member/wal")).get(0).index() > 1, "etcd purged the WAL");
        Path fromEndpoint = tmp.resolve("from-endpoint");
        Served source;
        JsonNode endpointReport;
        Path copy = PurgedDataDirs.copy(fixture, tmp.resolve("source-copy"));
        try (EtcdProcess etcd = EtcdProcess.start(version, copy, "m1", tmp.resolve("source.log"), List.of())) {
            source = served(etcd);
            // without the auth buckets too: etcd creates them (auth off) on start
            endpointReport = backup("--endpoint", etcd.clientUrl(), "--backup-dir", fromEndpoint.toString(),
                    "--drop-auth");
        }
        assertTrue(source.kvs().containsKey(PurgedDataDirs.MASKED + "early"), "the fixture wrote the prefixes");
        assertEquals(2, source.lateHistory().size(), source.toString());

        Path fromDataDir = tmp.resolve("from-data-dir");
        Path backend = tmp.resolve("backup.db");
        JsonNode report = backup("--data-dir", fixture.toString(), "--backup-dir", fromDataDir.toString(), "--backend",
                backend.toString());
        assertTrue(report.at("/db/masked_revisions").asLong() >= 4, report.toString());
        assertTrue(report.at("/db/dropped_revisions").asLong() >= 4, report.toString());
        assertEquals(source.revision(), report.at("/db/revision_placeholder").asLong(),
                "the newest revision was a dropped key's: " + report);
        List<String> backendRows = BackendRows.of(backend);
        // the same backup as one encrypted WAL archive (its db and .snap in it) restores to the same state
        Path archive = tmp.resolve("backup.walsnap");
        Path sealKey = Files.write(tmp.resolve("seal.key"), MASK_KEY);
        backup("--data-dir", fixture.toString(), "--archive", archive.toString(), "--seal", "aes-gcm", "--key-file",
                sealKey.toString());
        Path fromArchive = tmp.resolve("from-archive.db");
        Launcher.Result restored = Launcher.run(tmp, "restore", archive.toString(), "--key-file", sealKey.toString(),
                "--backend", fromArchive.toString());
        assertEquals(0, restored.exit(), restored.stderr());
        assertEquals(backendRows, BackendRows.of(fromArchive));

        for (Map.Entry<Path, JsonNode> backup : Map.of(fromDataDir, report, fromEndpoint, endpointReport).entrySet()) {
            assertNoOriginalValueIn(backup.getKey(), sensitiveValues(source));
            try (EtcdProcess etcd = EtcdProcess.start(version, backup.getKey(), "restored", tmp.resolve("etcd.log"),
                    List.of("--force-new-cluster"))) {
                assertServesRedacted(etcd, source, backup.getValue());
                if (backup.getKey().equals(fromDataDir)) {
                    // the backend is what etcd serves from the backup
                    assertEquals(BackendRows.of(etcd.rangeAll()), backendRows);
                }
            }
        }
    }

    /** An etcdctl snapshot file, backed up into a data dir and exported as a snapshot that etcd's own tool restores. */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aRedactedBackupOfASnapshotFileServesWhatItHeldWithTheRulesApplied(EtcdVersion version) throws Exception {
        Path snapshot = PurgedDataDirs.of(version).resolveSibling(PurgedDataDirs.LAGGING_DB);
        Served source;
        Path restored = tmp.resolve("restored-source");
        version.restoreSnapshot(snapshot, restored, "m1", EtcdProcess.freePort());
        try (EtcdProcess etcd = EtcdProcess.start(version, restored, "m1", tmp.resolve("source.log"), List.of())) {
            source = served(etcd);
        }
        Path dataDir = tmp.resolve("from-snapshot");
        JsonNode report = backup("--etcd-snapshot", snapshot.toString(), "--backup-dir", dataDir.toString());
        Path export = tmp.resolve("export/redacted.snapshot");
        JsonNode exported = backup("--etcd-snapshot", snapshot.toString(), "--export", export.toString());
        assertNoOriginalValueIn(dataDir, sensitiveValues(source));
        assertNoOriginalValueIn(export.getParent(), sensitiveValues(source));
        Path archive = tmp.resolve("from-snapshot.walsnap");
        backup("--etcd-snapshot", snapshot.toString(), "--archive", archive.toString());
        Path fromArchive = tmp.resolve("from-archive.db");
        Launcher.Result unpacked = Launcher.run(tmp, "restore", archive.toString(), "--backend", fromArchive.toString());
        assertEquals(0, unpacked.exit(), unpacked.stderr());
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "restored", tmp.resolve("etcd.log"),
                List.of("--force-new-cluster"))) {
            assertServesRedacted(etcd, source, report);
            assertEquals(BackendRows.of(etcd.rangeAll()), BackendRows.of(fromArchive), "the same backup as a WAL archive");
        }
        Path fromExport = tmp.resolve("from-export");
        version.restoreSnapshot(export, fromExport, "m2", EtcdProcess.freePort());
        try (EtcdProcess etcd = EtcdProcess.start(version, fromExport, "m2", tmp.resolve("export.log"), List.of())) {
            assertEquals(expected(source), byKey(etcd.rangeAll()), exported.toString());
            assertEquals(source.revision(), etcd.revision());
        }
    }

    /**
     * A db that lags its WAL (a member stopped before its backend committed): the tail's dropped writes are no-ops,
     * so later revisions shift down by them, and a tail txn writing a dropped key is dropped whole.
     */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aDbLaggingItsWalGetsTheRedactedTail(EtcdVersion version) throws Exception {
        Path dataDir = PurgedDataDirs.withLaggingDb(version, tmp.resolve("lagging.etcd"));
        Served source;
        try (EtcdProcess etcd = EtcdProcess.start(version, PurgedDataDirs.copy(dataDir, tmp.resolve("source-copy")),
                "m1", tmp.resolve("source.log"), List.of())) {
            source = served(etcd);
        }
        Path backupDir = tmp.resolve("backup");
        JsonNode report = backup("--data-dir", dataDir.toString(), "--backup-dir", backupDir.toString());
        long droppedWrites = report.at("/rewritten/dropped").asLong() + report.at("/rewritten/dropped_txns").asLong();
        assertTrue(report.at("/rewritten/dropped_txns").asLong() >= 1, report.toString());
        assertNoOriginalValueIn(backupDir, sensitiveValues(source));
        // the late txn wrote a dropped key: it is dropped whole, with the two other keys only it wrote
        List<String> onlyInDroppedTxn = List.of(PurgedDataDirs.MASKED + "late-txn", "/plain/late-txn");
        try (EtcdProcess etcd = EtcdProcess.start(version, backupDir, "restored", tmp.resolve("etcd.log"),
                List.of("--force-new-cluster"))) {
            Map<String, String> served = etcd.rangeAll().stream()
                    .collect(Collectors.toMap(EtcdProcess.KeyValue::key, EtcdProcess.KeyValue::value));
            Map<String, String> expected = expected(source).values().stream()
                    .filter(kv -> !onlyInDroppedTxn.contains(kv.key()))
                    .collect(Collectors.toMap(EtcdProcess.KeyValue::key, EtcdProcess.KeyValue::value));
            assertEquals(expected, served);
            assertTrue(etcd.revision() >= source.revision() - droppedWrites && etcd.revision() < source.revision(),
                    etcd.revision() + " vs the source's " + source.revision() + " and " + droppedWrites + " dropped");
        }
    }

    /** Without rules, with the source's IDs and the WAL in a directory of its own: everything, as etcd served it. */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aPlainBackupOfAPurgedDataDirKeepsItsIdsAndPutsItsWalElsewhere(EtcdVersion version) throws Exception {
        Path fixture = PurgedDataDirs.of(version);
        Served source;
        List<String> sourceMembers;
        try (EtcdProcess etcd = EtcdProcess.start(version, PurgedDataDirs.copy(fixture, tmp.resolve("source-copy")), "m1",
                tmp.resolve("source.log"), List.of())) {
            source = served(etcd);
            sourceMembers = etcd.members();
        }
        Path backupDir = tmp.resolve("plain");
        Path walDir = tmp.resolve("wals/plain");
        Launcher.Result r = Launcher.run(tmp, "backup", "--data-dir", fixture.toString(), "--backup-dir",
                backupDir.toString(), "--backup-wal-dir", walDir.toString(), "--keep-ids", "--json");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode report = new ObjectMapper().readTree(r.stdout());
        assertTrue(report.path("new_ids").isMissingNode(), report.toString());
        assertFalse(Files.exists(backupDir.resolve("member/wal")));
        try (EtcdProcess etcd = EtcdProcess.start(version, backupDir, "restored", tmp.resolve("etcd.log"),
                List.of("--force-new-cluster", "--wal-dir", walDir.toString()))) {
            assertEquals(source.kvs(), byKey(etcd.rangeAll()));
            assertEquals(source.revision(), etcd.revision());
            List<String> members = etcd.members();
            assertEquals(1, members.size(), members.toString());
            String sourceId = sourceMembers.get(0).split(" ")[0];
            assertTrue(members.get(0).startsWith(sourceId + " "), members + " vs the source's " + sourceMembers);
        }
    }

    private JsonNode backup(String... args) throws Exception {
        Path keyFile = tmp.resolve("mask.key");
        if (!Files.exists(keyFile)) {
            Files.write(keyFile, MASK_KEY);
        }
        List<String> all = new ArrayList<>(List.of("backup"));
        all.addAll(List.of(args));
        all.addAll(List.of("--mask-prefix", PurgedDataDirs.MASKED, "--redact-prefix", PurgedDataDirs.DROPPED,
                "--mask-key-file", keyFile.toString(), "--json"));
        Launcher.Result r = Launcher.run(tmp, all.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    /**
     * Every key outside the drop prefix with its value (masked under the mask prefix) and revisions, the revision
     * itself, masked old values, and one member: the backup's.
     */
    private static void assertServesRedacted(EtcdProcess etcd, Served source, JsonNode report) throws Exception {
        assertEquals(expected(source), byKey(etcd.rangeAll()), report.toString());
        assertEquals(source.revision(), etcd.revision(), "the revision never goes backwards");
        ValueMask mask = new ValueMask(MASK_KEY);
        for (Map.Entry<Long, String> old : source.lateHistory().entrySet()) {
            EtcdProcess.KeyValue then = byKey(etcd.rangeAll(old.getKey())).get(PurgedDataDirs.MASKED + "late");
            assertEquals(masked(mask, old.getValue()), then.value(), "at revision " + old.getKey());
        }
        List<String> members = etcd.members();
        assertEquals(1, members.size(), members.toString());
        assertTrue(members.get(0).startsWith(report.at("/new_ids/node_id").asText() + " "), members + " " + report);
    }

    private static Map<String, EtcdProcess.KeyValue> expected(Served source) {
        ValueMask mask = new ValueMask(MASK_KEY);
        Map<String, EtcdProcess.KeyValue> expected = new LinkedHashMap<>();
        for (EtcdProcess.KeyValue kv : source.kvs().values()) {
            if (kv.key().startsWith(PurgedDataDirs.DROPPED)) {
                continue;
            }
            String value = kv.key().startsWith(PurgedDataDirs.MASKED) ? masked(mask, kv.value()) : kv.value();
            expected.put(kv.key(), new EtcdProcess.KeyValue(kv.key(), value, kv.createRevision(), kv.modRevision(),
                    kv.version(), kv.lease()));
        }
        return expected;
    }

    /** Every value ever written under the two prefixes that etcd still serves at some revision. */
    private static List<String> sensitiveValues(Served source) {
        List<String> values = new ArrayList<>(source.lateHistory().values());
        source.kvs().values().stream()
                .filter(kv -> kv.key().startsWith(PurgedDataDirs.MASKED) || kv.key().startsWith(PurgedDataDirs.DROPPED))
                .forEach(kv -> values.add(kv.value()));
        return values;
    }

    /** What etcd serves; the late masked key's older values when it holds that key (the lagging snapshot does not). */
    private static Served served(EtcdProcess etcd) throws Exception {
        Map<String, EtcdProcess.KeyValue> kvs = byKey(etcd.rangeAll());
        EtcdProcess.KeyValue late = kvs.get(PurgedDataDirs.MASKED + "late");
        Map<Long, String> history = new LinkedHashMap<>();
        // each older version sits two revisions below the next: the dropped key's put is between them
        for (long rev = late == null ? 0 : late.modRevision() - 4; late != null && rev < late.modRevision(); rev += 2) {
            history.put(rev, byKey(etcd.rangeAll(rev)).get(late.key()).value());
        }
        return new Served(kvs, etcd.revision(), history);
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
