package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wal inspect} and {@code wal dump} through the launcher JAR, on real etcd 3.4 data. */
class LauncherWalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @EtcdFixture("single")
    static Path single;
    @EtcdFixture("partition")
    static Path partition;

    @TempDir
    Path tmp;

    static JsonNode inspect(Path walDir) throws Exception {
        Launcher.Result r = Launcher.run(walDir.getParent(), "wal", "inspect", walDir.toString(), "--json");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", r.stderr());
        return JSON.readTree(r.stdout());
    }

    @Test
    void inspectReportsWhatEtcdWroteInTheSingleMemberFixture() throws Exception {
        JsonNode j = inspect(EtcdFixtures.walDir(single, "n1"));
        assertEquals(1, j.get("segments").asInt());
        assertEquals(JSON.readTree("{\"metadata\":1,\"entry\":417,\"state\":417,\"crc\":1,\"snapshot\":5}"), j.get("records"));
        assertEquals(417, j.get("entries").asLong());
        assertEquals(1, j.get("first_index").asLong());
        assertEquals(417, j.get("last_index").asLong());
        assertEquals(2, j.get("last_term").asLong());
        assertEquals(0, j.get("overwritten").asLong());
        // truth.json: etcd served raftIndex 417, term 2, member 13896422764091005103 in cluster 11574677459374522725
        assertEquals(JSON.readTree("{\"term\":2,\"vote\":\"" + Long.toHexString(Long.parseUnsignedLong("13896422764091005103"))
                + "\",\"commit\":417}"), j.get("hard_state"));
        assertEquals(Long.toHexString(Long.parseUnsignedLong("13896422764091005103")), j.at("/metadata/node_id").asText());
        assertEquals(Long.toHexString(Long.parseUnsignedLong("11574677459374522725")), j.at("/metadata/cluster_id").asText());
        List<String> snaps = new ArrayList<>();
        j.get("snapshots").forEach(s -> snaps.add(s.get("index").asLong() + "/" + s.get("term").asLong()));
        assertEquals(List.of("0/0", "101/2", "202/2", "303/2", "404/2"), snaps);
        assertTrue(j.get("crc_ok").asBoolean());
        assertTrue(j.get("torn_tail").isNull());
    }

    @Test
    void inspectCountsTheOldLeadersOverwrittenEntries() throws Exception {
        JsonNode n2 = inspect(EtcdFixtures.walDir(partition, "n2"));
        assertEquals(8, n2.get("overwritten").asLong());
        assertEquals(101, n2.at("/records/entry").asLong());
        assertEquals(93, n2.get("entries").asLong());
        assertEquals(93, n2.get("last_index").asLong());
        assertEquals(4, n2.get("last_term").asLong());
        for (String member : List.of("n1", "n3")) {
            JsonNode j = inspect(EtcdFixtures.walDir(partition, member));
            assertEquals(0, j.get("overwritten").asLong(), member);
            assertEquals(93, j.get("entries").asLong(), member);
        }
    }

    @Test
    void dumpPrintsOneJsonLinePerEntryOfTheResolvedLog() throws Exception {
        Path wal = EtcdFixtures.walDir(partition, "n2");
        Launcher.Result r = Launcher.run(tmp, "wal", "dump", wal.toString());
        assertEquals(0, r.exit(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertEquals(93, lines.length);
        long expected = 1;
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            assertEquals(expected++, e.get("index").asLong());
            assertTrue(e.hasNonNull("op"), line);
        }
        // The cut-off leader's own puts (term 2, never committed) are gone from the dump.
        JsonNode first = JSON.readTree(lines[0]);
        assertEquals("conf_change", first.get("op").asText());
        long puts = java.util.Arrays.stream(lines).filter(l -> l.contains("\"op\":\"put\"")).count();
        assertEquals(80, puts, "40 puts before the partition and 40 after it");
    }

    @Test
    void aCorruptWalExitsWithTwoAndOneLineNamingSegmentAndOffset() throws Exception {
        Path wal = EtcdFixtures.copyTree(EtcdFixtures.walDir(single, "n1"), tmp.resolve("wal"));
        Path seg = wal.resolve("0000000000000000-0000000000000000.wal");
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(40_000);
            int b = f.read();
            f.seek(40_000);
            f.write(b ^ 0x01);
        }
        Launcher.Result r = Launcher.run(tmp, "wal", "inspect", wal.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.stdout());
        String[] err = r.stderr().strip().split("\n");
        assertEquals(1, err.length, r.stderr());
        assertTrue(err[0].contains(seg.getFileName().toString()) && err[0].contains("offset"), err[0]);
    }

    /** A directory of the wrong kind is a usage mistake named as what it is, not a corrupt WAL. */
    @Test
    void aMemberOrDataDirGivenAsTheWalIsNamedAsSuch() throws Exception {
        Path dataDir = single.resolve("n1.etcd");
        Launcher.Result member = Launcher.run(tmp, "wal", "inspect", dataDir.resolve("member").toString());
        assertEquals(1, member.exit(), member.stderr());
        assertEquals(1, member.stderr().lines().count(), member.stderr());
        assertTrue(member.stderr().contains("an etcd member directory, not its WAL: give "
                + dataDir.resolve("member/wal")), member.stderr());
        Launcher.Result data = Launcher.run(tmp, "wal", "inspect", dataDir.toString());
        assertEquals(1, data.exit(), data.stderr());
        assertTrue(data.stderr().contains("a member's data dir, not its WAL"), data.stderr());
    }

    /** {@code --config} is taken before the command as after it: here a record limit the fixture's WAL exceeds. */
    @Test
    void aConfigFileBeforeTheCommandIsTheCommands() throws Exception {
        Path conf = java.nio.file.Files.writeString(tmp.resolve("small.conf"), "raftpipe.wal-source.max-record-size = 64\n");
        String wal = EtcdFixtures.walDir(single, "n1").toString();
        for (List<String> args : List.of(List.of("--config", conf.toString(), "wal", "inspect", wal),
                List.of("wal", "inspect", wal, "--config", conf.toString()))) {
            Launcher.Result r = Launcher.run(tmp, args.toArray(String[]::new));
            assertEquals(2, r.exit(), args + ": " + r.stderr());
            assertTrue(r.stderr().contains("exceeds the limit of 64 bytes"), r.stderr());
        }
    }

    @Test
    void usageAndIoErrorsHaveTheirExitCodes() throws Exception {
        assertEquals(1, Launcher.run(tmp, "wal", "inspect").exit());
        assertEquals(1, Launcher.run(tmp, "no-such-command").exit());
        Launcher.Result missing = Launcher.run(tmp, "wal", "inspect", tmp.resolve("absent").toString());
        assertEquals(3, missing.exit());
        assertEquals(1, missing.stderr().strip().split("\n").length, missing.stderr());
    }

    @Test
    void everyCommandHasHelpAndTheLauncherHasAVersion() throws Exception {
        for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"wal", "--help"},
                new String[] {"wal", "inspect", "--help"}, new String[] {"wal", "dump", "--help"})) {
            Launcher.Result r = Launcher.run(tmp, cmd);
            assertEquals(0, r.exit(), String.join(" ", cmd));
            assertTrue(r.stdout().contains("Usage:"), r.stdout());
        }
        Launcher.Result v = Launcher.run(tmp, "version");
        assertEquals(0, v.exit());
        assertTrue(v.stdout().startsWith("raftpipe "), v.stdout());
    }

    /** The other tests run the JAR with the launcher script's options for short runs; here exactly as the README does. */
    @Test
    void plainJavaDashJarRunsTheSameCommands() throws Exception {
        Path wal = EtcdFixtures.walDir(single, "n1");
        Launcher.Result plain = Launcher.runPlainJava(tmp, "wal", "inspect", wal.toString(), "--json");
        assertEquals(0, plain.exit(), plain.stderr());
        JsonNode expected = inspect(wal);
        JsonNode got = JSON.readTree(plain.stdout());
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).remove("duration_ms");
        ((com.fasterxml.jackson.databind.node.ObjectNode) got).remove("duration_ms");
        assertEquals(expected, got);
        Path backend = tmp.resolve("plain.db");
        Launcher.Result replay = Launcher.runPlainJava(tmp, "replay", "--wal-dir", wal.toString(), "--backend",
                backend.toString());
        assertEquals(0, replay.exit(), replay.stderr());
        assertTrue(java.nio.file.Files.isRegularFile(backend));
    }
}
