package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.bolt.BoltCursor;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.bolt.BoltFile;
import dev.raftpipe.codecs.bolt.BoltWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bbolt writer's files in etcd's hands: a member's db rewritten bucket by bucket passes {@code etcdutl
 * snapshot status} (bbolt's consistency check) with the original's hash, and etcd 3.4 / 3.5 started on the
 * rewritten db serves what it served, writes to the file (bbolt rebuilds the freelist the writer left out) and
 * still serves all of it after a restart.
 */
class BoltWriterEtcdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void etcdStartsFromARewrittenDbAndWritesToIt(EtcdVersion version) throws Exception {
        Path dataDir = PurgedDataDirs.copy(PurgedDataDirs.of(version), tmp.resolve("member.etcd"));
        Path db = dataDir.resolve("member/snap/db");
        Path rewritten = tmp.resolve("rewritten.db");
        rewrite(db, rewritten);
        JsonNode before = status(db);
        JsonNode after = status(rewritten);
        assertEquals(before.get("hash"), after.get("hash"));
        assertEquals(before.get("totalKey"), after.get("totalKey"));
        assertTrue(after.get("totalSize").asLong() <= before.get("totalSize").asLong(), "the writer leaves no free pages");

        List<String> served;
        try (EtcdProcess etcd = EtcdProcess.start(version, PurgedDataDirs.copy(dataDir, tmp.resolve("original.etcd")),
                "m1", tmp.resolve("etcd-original.log"), List.of())) {
            served = BackendRows.of(etcd.rangeAll());
        }
        Files.move(rewritten, db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", tmp.resolve("etcd.log"), List.of())) {
            assertEquals(served, BackendRows.of(etcd.rangeAll()));
            for (int i = 0; i < 50; i++) {
                etcd.post("/v3/kv/put", "{\"key\":\"" + b64("/after/" + i) + "\",\"value\":\"" + b64("v" + i) + "\"}");
            }
        }
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", tmp.resolve("etcd-again.log"), List.of())) {
            List<String> now = BackendRows.of(etcd.rangeAll());
            assertEquals(served.size() + 50, now.size());
            assertTrue(now.containsAll(served));
        }
    }

    private static void rewrite(Path from, Path to) throws Exception {
        try (BoltFile f = BoltFile.open(from); BoltWriter w = BoltWriter.create(to, f.pageSize())) {
            BoltCursor top = f.cursor(f.root());
            for (BoltEntry b = top.next(); b != null; b = top.next()) {
                String name = new String(b.key(), StandardCharsets.UTF_8);
                w.beginBucket(name);
                BoltCursor c = f.cursor(f.nested(name, b));
                for (BoltEntry e = c.next(); e != null; e = c.next()) {
                    w.put(e.key(), e.value());
                }
                w.endBucket();
            }
            w.finish();
            w.force();
        }
    }

    private static JsonNode status(Path db) throws Exception {
        return JSON.readTree(EtcdVersion.V3_5.run("etcdutl", "snapshot", "status", db.toString(), "-w", "json"));
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
