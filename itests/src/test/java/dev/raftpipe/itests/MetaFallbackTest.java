package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A db whose newer meta page is damaged (one bit of it, in a db etcd 3.4 or 3.5 wrote) is read through the older one, as
 * bbolt does after a torn meta write, so the state is one transaction older than the file's last commit. Every
 * command that reads it says so: one warning line naming the page and both txids, and {@code meta_fallback} in
 * its JSON report.
 */
class MetaFallbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void everyCommandThatReadsTheDbSaysItFellBack(EtcdVersion version) throws Exception {
        Path pristine = SmallDbs.of(version, tmp.resolve("source"));
        byte[] bytes = Files.readAllBytes(pristine);
        int page = SmallDbs.newerMetaPage(bytes, 4096);
        long newer = SmallDbs.txid(bytes, 4096, page);
        long older = SmallDbs.txid(bytes, 4096, 1 - page);
        bytes[page * 4096 + 46] ^= 1; // inside the newer meta page: its checksum no longer matches
        Path db = Files.write(tmp.resolve("damaged.db"), bytes);
        String d = db.toString();
        List<List<String>> commands = List.of(
                List.of("db", "inspect", d, "--skip-hash-check", "--json"),
                List.of("replay", "--etcd-snapshot", d, "--skip-hash-check", "--backend", tmp.resolve("b.db").toString(),
                        "--json"),
                List.of("seal", "--etcd-snapshot", d, "--skip-hash-check", "--out", tmp.resolve("s.snap").toString(),
                        "--json"),
                List.of("export", d, "--skip-hash-check", "--etcd-snapshot", tmp.resolve("e.db").toString(), "--json"),
                List.of("backup", "--etcd-snapshot", d, "--skip-hash-check", "--export", tmp.resolve("k.db").toString(),
                        "--json"),
                List.of("restore", d, "--skip-hash-check", "--etcd-data-dir", tmp.resolve("member").toString(),
                        "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:2380", "--json"));
        for (List<String> command : commands) {
            Launcher.Result r = Launcher.run(tmp, command.toArray(String[]::new));
            assertEquals(0, r.exit(), command + ": " + r.stderr());
            assertEquals(1, r.stderr().strip().lines().count(), command + ": " + r.stderr());
            assertTrue(r.stderr().startsWith("raftpipe: warning: " + d + ": meta page " + page + " is damaged (checksum "
                    + "mismatch; it names txid " + newer + "): read meta page " + (1 - page) + " (txid " + older + ")"),
                    command + ": " + r.stderr());
            JsonNode fallback = JSON.readTree(r.stdout()).get("meta_fallback");
            assertTrue(fallback != null, command + ": " + r.stdout());
            assertEquals(page, fallback.get("damaged_page").asInt());
            assertEquals(older, fallback.get("used_txid").asLong());
            assertTrue(fallback.get("older_state").asBoolean());
        }
        Launcher.Result sound = Launcher.run(tmp, "db", "inspect", pristine.toString(), "--json");
        assertEquals("", sound.stderr());
        assertTrue(!JSON.readTree(sound.stdout()).has("meta_fallback"), "absent when both meta pages are sound");
    }

    @org.junit.jupiter.api.Test
    void aDbWhoseFirstMetaPageLostItsMagicIsStillADb() throws Exception {
        byte[] bytes = Files.readAllBytes(SmallDbs.of(EtcdVersion.V3_4, tmp.resolve("source")));
        bytes[16] ^= (byte) 0xff; // meta page 0's magic
        Path db = Files.write(tmp.resolve("no-magic.db"), bytes);
        Launcher.Result r = Launcher.run(tmp, "export", db.toString(), "--skip-hash-check", "--etcd-snapshot",
                tmp.resolve("out.db").toString(), "--json");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("meta page 0 is damaged (no bbolt magic): read meta page 1"), r.stderr());
        assertEquals("etcd-db", JSON.readTree(r.stdout()).get("source_kind").asText(), "not taken for an archive");
    }
}
