package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code db inspect} and {@code db dump} on files real etcd 3.4 and 3.5 wrote: a member's db after a history
 * with compactions, an {@code etcdctl snapshot save} taken before any compaction and one after. Each is
 * checked against etcd's own tools: {@code etcdutl snapshot status} (and 3.4's {@code etcdctl snapshot status})
 * for status_hash, status_revision and total_key; {@code etcdctl endpoint hashkv --rev} of the member for hash_kv;
 * reads at old revisions for the history.
 */
class DbInspectEtcdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void dbInspectAndDumpAgreeWithEtcdsOwnTools(EtcdVersion version) throws Exception {
        Path dataDir = tmp.resolve("member.etcd");
        Path uncompacted = tmp.resolve("uncompacted.snapshot");
        Path compacted = tmp.resolve("compacted.snapshot");
        long uncompactedRev;
        long uncompactedHash;
        long compactedRev;
        long compactedHash;
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", tmp.resolve("etcd.log"),
                List.of("--snapshot-count", "500"))) {
            new Workload(etcd, 11).withoutCompactions().run(500);
            version.run("etcdctl", "--endpoints", etcd.clientUrl(), "snapshot", "save", uncompacted.toString());
            uncompactedRev = etcd.revision();
            uncompactedHash = hashKv(version, etcd, uncompactedRev);

            new Workload(etcd, 12).run(700);
            etcd.post("/v3/kv/compaction", "{\"revision\":" + (etcd.revision() - 15) + ",\"physical\":true}");
            new Workload(etcd, 13).withoutCompactions().run(150);
            version.run("etcdctl", "--endpoints", etcd.clientUrl(), "snapshot", "save", compacted.toString());
            compactedRev = etcd.revision();
            compactedHash = hashKv(version, etcd, compactedRev);
        }
        Path db = dataDir.resolve("member/snap/db");

        JsonNode u = inspect(uncompacted);
        assertStatusAsEtcdutl(version, uncompacted, u);
        assertEquals("verified", u.get("trailer").asText());
        assertEquals(0, u.get("compact_revision").asLong());
        assertEquals(uncompactedRev, u.get("revision").asLong());
        assertEquals(uncompactedHash, u.get("hash_kv").asLong(), "hash_kv of the uncompacted snapshot");

        JsonNode c = inspect(compacted);
        assertStatusAsEtcdutl(version, compacted, c);
        assertTrue(c.get("compact_revision").asLong() > 0);
        assertEquals(compactedRev, c.get("revision").asLong());
        assertEquals(compactedHash, c.get("hash_kv").asLong(), "hash_kv of the compacted snapshot");

        JsonNode d = inspect(db);
        assertStatusAsEtcdutl(version, db, d);
        assertEquals("none", d.get("trailer").asText());
        assertEquals(version == EtcdVersion.V3_5, d.get("term").isNumber(), "etcd 3.5 records the term in its db");
        long revision = d.get("revision").asLong();
        List<JsonNode> history = dump(db, "--history");
        List<JsonNode> live = dump(db);
        assertEquals(d.get("stored_revisions").asLong(), history.size());
        assertEquals(d.get("live_keys").asLong(), live.size());

        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", tmp.resolve("etcd2.log"), List.of())) {
            assertEquals(hashKv(version, etcd, revision), d.get("hash_kv").asLong(),
                    "hash_kv of the member's db = etcdctl endpoint hashkv --rev " + revision);
            assertEquals(etcd.rangeAll(revision).stream().map(DbInspectEtcdTest::row).sorted().toList(),
                    live.stream().map(DbInspectEtcdTest::row).sorted().toList());
            long compact = d.get("compact_revision").asLong();
            List<JsonNode> puts = history.stream()
                    .filter(r -> !r.has("tombstone") && r.get("main").asLong() > compact).toList();
            for (int i = 0; i < puts.size(); i += Math.max(1, puts.size() / 40)) {
                JsonNode r = puts.get(i);
                JsonNode got = etcd.post("/v3/kv/range", "{\"key\":\"" + b64(r.get("key").asText())
                        + "\",\"revision\":" + r.get("main").asLong() + "}").path("kvs").path(0);
                assertEquals(row(r), rowOfServed(got), "etcdctl get --rev " + r.get("main").asLong());
            }
        }
    }

    private static long hashKv(EtcdVersion version, EtcdProcess etcd, long revision) throws Exception {
        JsonNode out = JSON.readTree(version.run("etcdctl", "--endpoints", etcd.clientUrl(), "endpoint", "hashkv",
                "--rev", Long.toString(revision), "-w", "json"));
        return out.path(0).path("HashKV").path("hash").asLong();
    }

    private void assertStatusAsEtcdutl(EtcdVersion version, Path file, JsonNode inspected) throws Exception {
        List<JsonNode> tools = new ArrayList<>();
        tools.add(JSON.readTree(EtcdVersion.V3_5.run("etcdutl", "snapshot", "status", file.toString(), "-w", "json")));
        if (version == EtcdVersion.V3_4) {
            tools.add(JSON.readTree(version.run("etcdctl", "snapshot", "status", file.toString(), "-w", "json")));
        }
        for (JsonNode status : tools) {
            assertEquals(status.get("hash").asLong(), inspected.get("status_hash").asLong(), file + " status hash");
            assertEquals(status.get("revision").asLong(), inspected.get("status_revision").asLong(), file + " revision");
            assertEquals(status.get("totalKey").asLong(), inspected.get("total_key").asLong(), file + " totalKey");
            assertEquals(status.get("totalSize").asLong(), inspected.get("total_size").asLong(), file + " totalSize");
        }
    }

    private JsonNode inspect(Path file) throws Exception {
        Launcher.Result r = Launcher.run(tmp, "db", "inspect", file.toString(), "--json");
        assertEquals(0, r.exit(), r.stderr());
        return JSON.readTree(r.stdout());
    }

    private List<JsonNode> dump(Path file, String... view) throws Exception {
        List<String> args = new ArrayList<>(List.of("db", "dump", file.toString()));
        args.addAll(List.of(view));
        Launcher.Result r = Launcher.run(tmp, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stderr());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isEmpty()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static String row(JsonNode kv) {
        return List.of(kv.get("key").asText(), kv.path("value").asText(""), kv.get("create_revision").asLong(),
                kv.get("mod_revision").asLong(), kv.get("version").asLong(), kv.get("lease").asLong())
                .stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static String row(EtcdProcess.KeyValue kv) {
        return String.join(" ", kv.key(), kv.value(), String.valueOf(kv.createRevision()), String.valueOf(kv.modRevision()),
                String.valueOf(kv.version()), String.valueOf(kv.lease()));
    }

    private static String rowOfServed(JsonNode kv) {
        return String.join(" ", text(kv.path("key").asText()), text(kv.path("value").asText("")),
                kv.path("create_revision").asText("0"), kv.path("mod_revision").asText("0"),
                kv.path("version").asText("0"), kv.path("lease").asText("0"));
    }

    private static String text(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
