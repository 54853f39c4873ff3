package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.etcd.EntryPayload;
import dev.raftpipe.codecs.etcd.EntryPayloads;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replay --to-index N} on WALs real etcd 3.4 and 3.5 wrote from index 1 (txns, compactions, leases), and the
 * backend restored into a member data dir: both hold exactly what etcd serves when started with
 * {@code --force-new-cluster} on a WAL-only copy of the source cut right after entry N, with a hard state
 * {term of N, commit N} after it (etcd writes entries before the hard state that commits them).
 */
class PointInTimeEtcdTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<EtcdVersion, Path> SOURCES = new EnumMap<>(EtcdVersion.class);
    private static final String BASE = "-half-way.snapshot";

    @TempDir
    static Path sources;

    @TempDir
    Path tmp;

    /**
     * A member's data dir written by {@code version} from index 1: 400 mixed operations, snapshots every 100, and
     * beside it an etcdctl snapshot saved half way ({@link #BASE}) while the member went on writing.
     */
    private static synchronized Path source(EtcdVersion version) throws Exception {
        Path made = SOURCES.get(version);
        if (made == null) {
            made = sources.resolve(version.label() + ".etcd");
            try (EtcdProcess etcd = EtcdProcess.start(version, made, "m1", sources.resolve(version.label() + ".log"),
                    List.of("--snapshot-count", "100"))) {
                Workload workload = new Workload(etcd, 7).withLongLeases();
                workload.run(200);
                version.run("etcdctl", "--endpoints", etcd.clientUrl(), "snapshot", "save",
                        made.resolveSibling(version.label() + BASE).toString());
                workload.run(200);
            }
            SOURCES.put(version, made);
        }
        return made;
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aBackendAndADataDirAtIndexNHoldWhatEtcdServesFromTheLogCutAtN(EtcdVersion version) throws Exception {
        Path walDir = source(version).resolve("member/wal");
        List<Entry> entries = entries(walDir);
        Map<String, Long> points = new LinkedHashMap<>();
        points.put("right after a compaction", firstIndexOf(entries, "compaction", 0));
        long txn = firstIndexOf(entries, "txn followed by a txn", entries.size() / 2);
        points.put("between two txns", txn);
        points.put("the last but one", entries.get(entries.size() - 2).index());
        for (Map.Entry<String, Long> point : points.entrySet()) {
            long n = point.getValue();
            String label = point.getKey() + " (index " + n + ")";
            Path backend = tmp.resolve("at-" + n + ".db");
            Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", walDir.toString(), "--to-index",
                    Long.toString(n), "--backend", backend.toString(), "--json");
            assertEquals(0, r.exit(), r.stderr());
            JsonNode report = JSON.readTree(r.stdout());
            assertEquals(n, report.get("consistent_index").asLong(), label);
            assertTrue(report.at("/point_in_time/entries_left_out").asLong() > 0, label + ": " + report);

            List<String> oracle;
            long oracleRevision;
            Path cut = cutAfter(walDir, n, tmp.resolve("oracle-" + n + ".etcd"));
            try (EtcdProcess etcd = EtcdProcess.start(version, cut, "m1", tmp.resolve("oracle-" + n + ".log"),
                    List.of("--force-new-cluster"))) {
                oracle = BackendRows.of(etcd.rangeAll());
                oracleRevision = etcd.revision();
            }
            assertEquals(oracle, BackendRows.of(backend), label);
            assertEquals(oracleRevision, report.get("revision").asLong(), label);

            int peer = EtcdProcess.freePort();
            Path member = tmp.resolve("member-" + n + ".etcd");
            Launcher.Result restored = Launcher.run(tmp, "restore", backend.toString(), "--etcd-data-dir",
                    member.toString(), "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:" + peer);
            assertEquals(0, restored.exit(), restored.stderr());
            try (EtcdProcess etcd = EtcdProcess.start(version, member, "m1", peer, tmp.resolve("member-" + n + ".log"),
                    List.of())) {
                assertEquals(oracle, BackendRows.of(etcd.rangeAll()), label);
                assertEquals(oracleRevision, etcd.revision(), label);
            }
        }
    }

    /** --to-revision R: the state after the last entry whose apply ends at R or below; the next entry writes. */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aBackendAtRevisionRHoldsWhatEtcdServesAfterTheLastEntryEndingAtR(EtcdVersion version) throws Exception {
        Path walDir = source(version).resolve("member/wal");
        Path whole = tmp.resolve("whole.db");
        Launcher.Result all = Launcher.run(tmp, "replay", "--wal-dir", walDir.toString(), "--backend", whole.toString(),
                "--json");
        assertEquals(0, all.exit(), all.stderr());
        long r = JSON.readTree(all.stdout()).get("revision").asLong() / 2;
        // the revision at each snapshot index, reported to pick a point by, is the revision a replay to it reaches
        JsonNode snapshot = JSON.readTree(all.stdout()).get("snapshots").get(1);
        Path atSnapshot = tmp.resolve("at-snapshot.db");
        Launcher.Result s = Launcher.run(tmp, "replay", "--wal-dir", walDir.toString(), "--to-index",
                snapshot.get("index").asText(), "--backend", atSnapshot.toString(), "--json");
        assertEquals(0, s.exit(), s.stderr());
        assertEquals(snapshot.get("revision").asLong(), JSON.readTree(s.stdout()).get("revision").asLong(), all.stdout());
        Path backend = tmp.resolve("at-revision.db");
        Launcher.Result cut = Launcher.run(tmp, "replay", "--wal-dir", walDir.toString(), "--to-revision",
                Long.toString(r), "--backend", backend.toString(), "--json");
        assertEquals(0, cut.exit(), cut.stderr());
        JsonNode report = JSON.readTree(cut.stdout());
        assertEquals(r, report.get("revision").asLong(), report.toString());
        long n = report.get("consistent_index").asLong();
        try (EtcdProcess etcd = EtcdProcess.start(version, cutAfter(walDir, n, tmp.resolve("oracle.etcd")), "m1",
                tmp.resolve("oracle.log"), List.of("--force-new-cluster"))) {
            assertEquals(BackendRows.of(etcd.rangeAll()), BackendRows.of(backend));
            assertEquals(r, etcd.revision());
        }
        try (EtcdProcess etcd = EtcdProcess.start(version, cutAfter(walDir, n + 1, tmp.resolve("next.etcd")), "m1",
                tmp.resolve("next.log"), List.of("--force-new-cluster"))) {
            assertEquals(r + 1, etcd.revision(), "entry " + (n + 1) + " writes, so it is left out");
        }
    }

    /**
     * A long range: an older base (an archive of the half-way etcdctl snapshot, at index I) and the member's WAL from
     * I on, restored to points after I, into a backend and into a member's data dir; before I is refused.
     */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void anOlderBaseAndTheWalAfterItRestoreToAnyPointBetween(EtcdVersion version) throws Exception {
        Path walDir = source(version).resolve("member/wal");
        Path archive = tmp.resolve("base.snap");
        Launcher.Result sealed = Launcher.run(tmp, "seal", "--etcd-snapshot",
                source(version).resolveSibling(version.label() + BASE).toString(), "--out", archive.toString(), "--json");
        assertEquals(0, sealed.exit(), sealed.stderr());
        long base = JSON.readTree(sealed.stdout()).get("index").asLong();
        List<Entry> entries = entries(walDir);
        long last = entries.get(entries.size() - 1).index();
        assertTrue(base > 100 && base < last - 100, "the base is half way: " + base + " of " + last);
        for (long n : List.of(base + 7, (base + last) / 2)) {
            Path backend = tmp.resolve("restored-" + n + ".db");
            Launcher.Result r = Launcher.run(tmp, "restore", archive.toString(), "--wal-dir", walDir.toString(),
                    "--to-index", Long.toString(n), "--backend", backend.toString());
            assertEquals(0, r.exit(), r.stderr());
            List<String> oracle;
            try (EtcdProcess etcd = EtcdProcess.start(version, cutAfter(walDir, n, tmp.resolve("oracle-" + n + ".etcd")),
                    "m1", tmp.resolve("oracle-" + n + ".log"), List.of("--force-new-cluster"))) {
                oracle = BackendRows.of(etcd.rangeAll());
            }
            assertEquals(oracle, BackendRows.of(backend), "index " + n);
            if (n == base + 7) {
                int peer = EtcdProcess.freePort();
                Path member = tmp.resolve("member.etcd");
                Launcher.Result m = Launcher.run(tmp, "restore", archive.toString(), "--wal-dir", walDir.toString(),
                        "--to-index", Long.toString(n), "--etcd-data-dir", member.toString(), "--name", "m1",
                        "--initial-cluster", "m1=http://127.0.0.1:" + peer);
                assertEquals(0, m.exit(), m.stderr());
                try (EtcdProcess etcd = EtcdProcess.start(version, member, "m1", peer, tmp.resolve("member.log"),
                        List.of())) {
                    assertEquals(oracle, BackendRows.of(etcd.rangeAll()));
                }
            }
        }
        Path before = tmp.resolve("before.db");
        Launcher.Result refused = Launcher.run(tmp, "restore", archive.toString(), "--wal-dir", walDir.toString(),
                "--to-index", Long.toString(base - 1), "--backend", before.toString());
        assertEquals(2, refused.exit(), refused.stderr());
        assertTrue(refused.stderr().contains("before the archive's consistent_index " + base), refused.stderr());
        assertFalse(Files.exists(before));
    }

    /**
     * A WAL archive of the member (backup --archive, its IDs kept so it continues the member's own archives):
     * verified, restored to a point into a backend and into a member's data dir, and continuing an older base.
     */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aWalArchiveRestoresToAPointAndContinuesAnOlderBase(EtcdVersion version) throws Exception {
        Path walDir = source(version).resolve("member/wal");
        Path archive = tmp.resolve("member.walsnap");
        Launcher.Result backup = Launcher.run(tmp, "backup", "--data-dir", source(version).toString(), "--archive",
                archive.toString(), "--keep-ids", "--keep-membership", "--json");
        assertEquals(0, backup.exit(), backup.stderr());
        assertEquals(0, JSON.readTree(backup.stdout()).at("/archive/base_index").asLong(), backup.stdout());
        Launcher.Result verified = Launcher.run(tmp, "verify", archive.toString(), "--json");
        assertEquals(0, verified.exit(), verified.stderr());
        assertEquals("wal", JSON.readTree(verified.stdout()).get("kind").asText());

        List<Entry> entries = entries(walDir);
        long n = entries.get(entries.size() * 3 / 4).index();
        List<String> oracle;
        long revision;
        try (EtcdProcess etcd = EtcdProcess.start(version, cutAfter(walDir, n, tmp.resolve("oracle.etcd")), "m1",
                tmp.resolve("oracle.log"), List.of("--force-new-cluster"))) {
            oracle = BackendRows.of(etcd.rangeAll());
            revision = etcd.revision();
        }
        Path backend = tmp.resolve("from-archive.db");
        Launcher.Result r = Launcher.run(tmp, "restore", archive.toString(), "--to-index", Long.toString(n),
                "--backend", backend.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(oracle, BackendRows.of(backend));

        int peer = EtcdProcess.freePort();
        Path member = tmp.resolve("member.etcd");
        Launcher.Result m = Launcher.run(tmp, "restore", archive.toString(), "--to-index", Long.toString(n),
                "--etcd-data-dir", member.toString(), "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:" + peer);
        assertEquals(0, m.exit(), m.stderr());
        try (EtcdProcess etcd = EtcdProcess.start(version, member, "m1", peer, tmp.resolve("member.log"), List.of())) {
            assertEquals(oracle, BackendRows.of(etcd.rangeAll()));
            assertEquals(revision, etcd.revision());
        }

        Path base = tmp.resolve("base.snap");
        assertEquals(0, Launcher.run(tmp, "seal", "--etcd-snapshot",
                source(version).resolveSibling(version.label() + BASE).toString(), "--out", base.toString()).exit());
        Path chained = tmp.resolve("chained.db");
        Launcher.Result c = Launcher.run(tmp, "restore", base.toString(), "--wal-dir", archive.toString(),
                "--to-index", Long.toString(n), "--backend", chained.toString());
        assertEquals(0, c.exit(), c.stderr());
        assertEquals(oracle, BackendRows.of(chained));
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void anIndexTheWalNeverCommittedIsRefusedWithTheRangeAvailable(EtcdVersion version) throws Exception {
        Path walDir = source(version).resolve("member/wal");
        List<Entry> entries = entries(walDir);
        long past = entries.get(entries.size() - 1).index() + 1;
        Path backend = tmp.resolve("never.db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", walDir.toString(), "--to-index",
                Long.toString(past), "--backend", backend.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("1.." + (past - 1)) && r.stderr().lines().count() == 1, r.stderr());
        assertFalse(Files.exists(backend), "nothing published");
    }

    private static List<Entry> entries(Path walDir) throws Exception {
        List<Entry> out = new ArrayList<>();
        try (WalReader reader = WalReader.open(walDir, WalReader.Options.DEFAULTS)) {
            for (WalRecord rec = reader.next(); rec != null; rec = reader.next()) {
                if (rec instanceof WalRecord.EntryRecord e) {
                    out.add(e.entry());
                }
            }
        }
        return out;
    }

    /** The index of the first entry from {@code from} on that is a compaction, or a txn whose next entry is one. */
    private static long firstIndexOf(List<Entry> entries, String what, int from) throws Exception {
        for (int i = from; i + 1 < entries.size(); i++) {
            EtcdRequest here = view(entries.get(i));
            boolean found = what.equals("compaction") ? here instanceof EtcdRequest.Compaction
                    : here instanceof EtcdRequest.Txn && view(entries.get(i + 1)) instanceof EtcdRequest.Txn;
            if (found) {
                return entries.get(i).index();
            }
        }
        throw new AssertionError("the workload wrote no " + what);
    }

    private static EtcdRequest view(Entry e) throws Exception {
        return EntryPayloads.decode(e) instanceof EntryPayload.Request r ? r.request().view() : null;
    }

    /**
     * A WAL-only data dir: the source's records up to entry {@code n}'s, then a hard state committing it (the
     * oracle etcd replays it whole, as it does a WAL from index 1).
     */
    private static Path cutAfter(Path walDir, long n, Path dataDir) throws Exception {
        HardState last = HardState.EMPTY;
        try (WalReader reader = WalReader.open(walDir, WalReader.Options.DEFAULTS);
             WalWriter writer = WalWriter.create(dataDir.resolve("member/wal"), WalWriter.Options.DEFAULTS)) {
            for (WalRecord rec = reader.next(); rec != null; rec = reader.next()) {
                if (rec instanceof WalRecord.CrcRecord) {
                    continue;
                }
                if (rec instanceof WalRecord.StateRecord s) {
                    last = s.state();
                }
                writer.write(rec);
                if (rec instanceof WalRecord.EntryRecord e && e.entry().index() == n) {
                    writer.write(new WalRecord.StateRecord(new HardState(e.entry().term(), last.vote(), n)));
                    break;
                }
            }
            writer.commit();
        }
        return dataDir;
    }
}
