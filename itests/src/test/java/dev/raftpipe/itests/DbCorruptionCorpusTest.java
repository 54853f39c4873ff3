package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded corpus of damaged etcd dbs (etcd 3.4's and etcd 3.5's own, 160 of each), each replayed through the launcher's
 * entry point. An {@code etcdctl snapshot save} file (db + SHA-256 trailer) damaged anywhere — a meta page, a page
 * header, a branch or leaf element, a key, a value, the trailer — cut or grown, is refused: its trailer decides
 * first. A plain db (a member's own, no trailer) with a damaged meta page is read through the other one and says
 * so; with a damaged page header it is refused or read unchanged. Nothing exits 0 with a state other than the
 * pristine file's unless it reported the fallback that explains it; a refusal is one line, exit 2, nothing published.
 */
class DbCorruptionCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20261207L;
    private static final int PAGE = 4096;
    private static final int META_STRUCT = 64;
    private static final int PAGE_HEADER = 16;

    @TempDir
    Path tmp;

    byte[] db;
    List<String> pristine;

    record Outcome(int exit, String stdout, String stderr) {
    }

    record Case(String name, byte[] bytes, boolean trailer) {
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void everyDamagedDbIsRefusedOrReadAsThePristineOneOrSaysWhyNot(EtcdVersion version) throws Exception {
        db = Files.readAllBytes(SmallDbs.of(version, tmp.resolve("source")));
        assertEquals(0, db.length % PAGE);
        Path backend = tmp.resolve("pristine.db");
        Outcome clean = replay(Files.write(tmp.resolve("pristine.snapshot"), withTrailer(db)), backend, true);
        assertEquals(0, clean.exit, clean.stderr);
        pristine = BackendRows.state(backend);
        Random random = new Random(SEED + version.ordinal());
        int pages = db.length / PAGE;
        List<Case> cases = new ArrayList<>();
        // snapshot files: any change at all is the trailer's to find
        for (int i = 0; i < 60; i++) {
            byte[] b = withTrailer(db);
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            cases.add(new Case("snapshot-flip-" + i, b, true));
        }
        for (int i = 0; i < 15; i++) {
            byte[] b = withTrailer(db);
            int page = random.nextInt(pages);
            b[page * PAGE + random.nextInt(PAGE_HEADER + 32)] ^= (byte) (1 + random.nextInt(255));
            cases.add(new Case("snapshot-header-" + page + "-" + i, b, true));
        }
        for (int i = 0; i < 10; i++) {
            byte[] b = withTrailer(db);
            cases.add(new Case("snapshot-cut-" + i, Arrays.copyOf(b, 1 + random.nextInt(b.length - 1)), true));
        }
        for (int i = 0; i < 5; i++) {
            byte[] b = withTrailer(db);
            cases.add(new Case("snapshot-appended-" + i, Arrays.copyOf(b, b.length + 1 + random.nextInt(600)), true));
        }
        for (int i = 0; i < 10; i++) {
            byte[] b = withTrailer(db);
            b[db.length + random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
            cases.add(new Case("snapshot-trailer-" + i, b, true));
        }
        // plain dbs: a meta page's struct damaged, or both
        for (int i = 0; i < 30; i++) {
            byte[] b = db.clone();
            int page = random.nextInt(2);
            b[page * PAGE + PAGE_HEADER + random.nextInt(META_STRUCT)] ^= (byte) (1 << random.nextInt(8));
            if (i % 10 == 9) {
                b[(1 - page) * PAGE + PAGE_HEADER + random.nextInt(META_STRUCT)] ^= (byte) (1 << random.nextInt(8));
            }
            cases.add(new Case("db-meta-" + page + "-" + i, b, false));
        }
        // plain dbs: a page header (id, flags, count, overflow) of a branch, leaf or free page
        for (int i = 0; i < 30; i++) {
            byte[] b = db.clone();
            int page = 2 + random.nextInt(pages - 2);
            b[page * PAGE + random.nextInt(PAGE_HEADER)] ^= (byte) (1 << random.nextInt(8));
            cases.add(new Case("db-header-" + page + "-" + i, b, false));
        }

        List<String> failures = new ArrayList<>();
        int refused = 0;
        int fellBack = 0;
        for (Case c : cases) {
            Path input = Files.write(tmp.resolve(c.name + (c.trailer ? ".snapshot" : ".db")), c.bytes);
            Path out = tmp.resolve(c.name + ".backend.db");
            Outcome o = replay(input, out, c.trailer);
            String verdict = judge(c, o, out);
            if (verdict != null) {
                failures.add(c.name + ": " + verdict);
            }
            refused += o.exit == 2 ? 1 : 0;
            fellBack += o.stdout.contains("\"meta_fallback\"") ? 1 : 0;
        }
        System.out.println("db corpus, " + version + ": " + cases.size() + " cases, " + refused + " refused, " + fellBack
                + " read through the other meta page, " + (cases.size() - refused - fellBack) + " read unchanged");
        assertTrue(cases.size() >= 150, cases.size() + " cases"); // of each version: 300 or more in all
        assertEquals(List.of(), failures, "of " + cases.size() + " cases:\n" + String.join("\n", failures));
    }

    /** null when the outcome is acceptable, else why not. */
    private String judge(Case c, Outcome o, Path out) throws Exception {
        if (o.exit == 0) {
            if (c.trailer) {
                return "a damaged snapshot file was accepted";
            }
            JsonNode report = JSON.readTree(o.stdout);
            JsonNode fallback = report.path("meta_fallback");
            List<String> got = BackendRows.state(out);
            if (got.equals(pristine)) {
                return null;
            }
            if (fallback.isMissingNode() || !fallback.path("older_state").asBoolean()) {
                return "exit 0 with another state (" + got.size() + " rows vs " + pristine.size() + ") and no fallback said";
            }
            return o.stderr.contains("meta page") ? null : "a fallback in the report but no warning: " + o.stderr;
        }
        if (o.exit != 2) {
            return "exit " + o.exit + ": " + o.stderr.strip();
        }
        if (o.stderr.strip().lines().count() != 1) {
            return "exit 2 with " + o.stderr.strip().lines().count() + " lines: " + o.stderr;
        }
        if (Files.exists(out)) {
            return "exit 2 but the backend was published: " + o.stderr.strip();
        }
        return null;
    }

    private static Outcome replay(Path input, Path backend, boolean trailer) {
        List<String> args = new ArrayList<>(List.of("replay", "--etcd-snapshot", input.toString(), "--backend",
                backend.toString(), "--json"));
        if (!trailer) {
            args.add("--skip-hash-check");
        }
        Launcher.Result r = Launcher.inProcess(args.toArray(String[]::new));
        return new Outcome(r.exit(), r.stdout(), r.stderr());
    }

    private static byte[] withTrailer(byte[] plain) throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(plain);
        byte[] b = Arrays.copyOf(plain, plain.length + sha.length);
        System.arraycopy(sha, 0, b, plain.length, sha.length);
        return b;
    }

}
