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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded corpus of damaged inputs, run in-process through the launcher's entry point (a few also through the
 * JAR): WAL record type, length, CRC and data flips, truncations in every segment, zeroed regions, missing,
 * duplicated, renamed and garbage segments; archive flips, truncations, appended bytes, re-tarred variants, meta.json
 * and sidecar edits with recomputed sums. Every case either exits 0 with the clean input's state (for a torn tail,
 * the state of the clean WAL cut where the tail tore), or exits 2 with one line and nothing at the published path.
 */
class CorruptionCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20261123L;
    private static final int SEGMENT_BYTES = 16 * 1024;

    @TempDir
    static Path work;
    static Path cleanWal;
    static Path key;
    static final Map<String, Path> archives = new LinkedHashMap<>();
    static final Map<Long, List<String>> oracles = new HashMap<>();

    @TempDir
    Path tmp;

    record Outcome(int exit, String stdout, String stderr) {
    }

    /** One damaged input: what was done, and how to judge the command's result. */
    record Case(String name, Path input, List<String> extraArgs) {
    }

    @BeforeAll
    static void cleanInputs() throws Exception {
        Path single = EtcdFixtures.extract("single", work);
        // the fixture's WAL rewritten into small, unpadded segments: many segments, cheap copies
        Path conf = Files.writeString(work.resolve("small-segments.conf"), """
                raftpipe.wal-sink { segment-size = %d, preallocate = off, fsync = off }
                """.formatted(SEGMENT_BYTES));
        Path pipeline = Files.writeString(work.resolve("copy.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  sinks = [ { stage = wal-sink, dir = "%s" } ]
                }
                """.formatted(EtcdFixtures.walDir(single, "n1"), work.resolve("clean-wal")));
        assertEquals(0, inProcess("run", pipeline.toString(), "--config", conf.toString()).exit());
        cleanWal = work.resolve("clean-wal");
        assertTrue(WalSurgery.segments(cleanWal).size() >= 5, "several segments");
        key = Files.writeString(work.resolve("key"), "5a".repeat(32));
        Path backend = work.resolve("clean.db");
        assertEquals(0, inProcess("replay", "--wal-dir", cleanWal.toString(), "--backend", backend.toString()).exit());
        for (String seal : List.of("none", "hmac", "aes-gcm")) {
            Path out = work.resolve(seal + ".snap");
            List<String> args = new ArrayList<>(List.of("seal", "--backend", backend.toString(), "--out", out.toString()));
            if (!seal.equals("none")) {
                args.addAll(List.of("--seal", seal, "--key-file", key.toString()));
            }
            assertEquals(0, inProcess(args.toArray(String[]::new)).exit());
            archives.put(seal, out);
        }
    }

    @Test
    void damagedWalsExitZeroWithTheCleanStateOrTwoWithOneLine() throws Exception {
        Random random = new Random(SEED);
        List<Path> segments = WalSurgery.segments(cleanWal);
        List<Case> cases = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < 40; i++) {
            cases.add(walCase("type-" + n++, random, seg -> {
                WalSurgery.Frame f = randomFrame(seg, random);
                int type = 1 + random.nextInt(6);
                WalSurgery.patch(seg, f.offset() + 9, (byte) (type == f.type() ? 0 : type));
            }));
            cases.add(walCase("length-" + n++, random, seg -> {
                WalSurgery.Frame f = randomFrame(seg, random);
                WalSurgery.patchXor(seg, f.offset() + random.nextInt(8), (byte) (1 << random.nextInt(8)));
            }));
            cases.add(walCase("crc-" + n++, random, seg -> {
                WalSurgery.Frame f = randomFrame(seg, random);
                WalSurgery.patchXor(seg, f.offset() + 11, (byte) (1 + random.nextInt(255)));
            }));
            cases.add(walCase("data-" + n++, random, seg -> {
                WalSurgery.Frame f = randomFrame(seg, random);
                WalSurgery.patchXor(seg, f.offset() + 8 + random.nextInt((int) f.recordBytes()), (byte) (1 + random.nextInt(255)));
            }));
        }
        for (int s = 0; s < segments.size(); s++) {
            for (int i = 0; i < 3; i++) {
                int which = s;
                cases.add(walCase("truncate-" + s + "-" + i, random, which, seg -> WalSurgery.truncate(seg,
                        1 + random.nextInt((int) Files.size(seg) - 1))));
            }
        }
        for (int i = 0; i < 20; i++) {
            cases.add(walCase("zeros-" + i, random, seg -> {
                long size = Files.size(seg);
                int len = 512 + random.nextInt(3584);
                long at = random.nextInt((int) Math.max(1, size - 8));
                WalSurgery.zero(seg, at, (int) Math.min(len, size - at));
            }));
        }
        for (int s = 0; s < segments.size() - 1; s++) { // losing the last whole segment is a shorter, valid WAL
            int which = s;
            cases.add(walDirCase("missing-" + s, dir -> Files.delete(dir.resolve(segments.get(which).getFileName()))));
        }
        for (int s = 0; s < segments.size(); s++) {
            int which = s;
            cases.add(walDirCase("duplicated-" + s, dir -> Files.copy(dir.resolve(segments.get(which).getFileName()),
                    dir.resolve(segmentName(segments.size(), index(segments.get(which)))))));
            cases.add(walDirCase("renamed-" + s, dir -> Files.move(dir.resolve(segments.get(which).getFileName()),
                    dir.resolve(segmentName(seq(segments.get(which)), index(segments.get(which)) + 7)))));
        }
        for (int i = 0; i < 3; i++) {
            byte[] garbage = new byte[SEGMENT_BYTES];
            random.nextBytes(garbage);
            long last = index(segments.get(segments.size() - 1));
            cases.add(walDirCase("garbage-" + i, dir -> Files.write(dir.resolve(segmentName(segments.size(), last + 500)),
                    garbage)));
        }

        List<String> failures = new ArrayList<>();
        int exitZero = 0;
        for (Case c : cases) {
            Path out = tmp.resolve(c.name + ".db");
            Outcome o = inProcess("replay", "--wal-dir", c.input.toString(), "--backend", out.toString());
            String verdict = judge(o, out, () -> walOracle(c.input));
            if (verdict != null) {
                failures.add(c.name + ": " + verdict);
            }
            exitZero += o.exit == 0 ? 1 : 0;
        }
        System.out.println("WAL corpus: " + cases.size() + " cases, " + exitZero + " exit 0 (intact or torn tail), "
                + (cases.size() - exitZero) + " exit 2");
        assertTrue(cases.size() >= 200, cases.size() + " cases");
        assertEquals(List.of(), failures, "of " + cases.size() + " cases (" + exitZero + " exit 0):\n"
                + String.join("\n", failures));
        throughTheJar(cases.subList(0, 4), "replay", "--wal-dir");
    }

    @Test
    void damagedArchivesExitZeroWithTheCleanStateOrTwoWithOneLine() throws Exception {
        Random random = new Random(SEED + 1);
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, Path> a : archives.entrySet()) {
            String seal = a.getKey();
            List<String> keyArgs = seal.equals("none") ? List.of() : List.of("--key-file", key.toString());
            byte[] clean = Files.readAllBytes(a.getValue());
            for (int i = 0; i < 30; i++) {
                byte[] b = clean.clone();
                b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                cases.add(archiveCase(seal + "-flip-" + i, b, keyArgs));
            }
            for (int i = 0; i < 10; i++) {
                cases.add(archiveCase(seal + "-cut-" + i, java.util.Arrays.copyOf(clean, random.nextInt(clean.length)),
                        keyArgs));
            }
            for (byte[] tail : List.of(new byte[1], "junk".getBytes(), new byte[512])) {
                byte[] b = java.util.Arrays.copyOf(clean, clean.length + tail.length);
                System.arraycopy(tail, 0, b, clean.length, tail.length);
                cases.add(archiveCase(seal + "-appended-" + tail.length, b, keyArgs));
            }
            Map<String, byte[]> entries = ArchiveSurgery.entries(a.getValue());
            List<Map<String, byte[]>> variants = new ArrayList<>();
            variants.add(entries); // re-tarred unchanged: must still restore
            Map<String, byte[]> extra = new LinkedHashMap<>(entries);
            extra.put("evil.txt", "x".getBytes());
            variants.add(extra);
            Map<String, byte[]> noSums = new LinkedHashMap<>(entries);
            noSums.remove("SHA256SUMS");
            variants.add(noSums);
            Map<String, byte[]> reordered = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(entries.keySet());
            java.util.Collections.reverse(names);
            names.forEach(nm -> reordered.put(nm, entries.get(nm)));
            variants.add(reordered);
            variants.add(ArchiveSurgery.withMeta(entries, m -> m.put("Index", m.get("Index").asLong() + 1)));
            variants.add(ArchiveSurgery.withMeta(entries, m -> m.put("revision", 1)));
            variants.add(ArchiveSurgery.withMeta(entries, m -> m.put("raftpipe_format", 9)));
            variants.add(ArchiveSurgery.withMeta(entries, m -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                    m.get("record_counts")).put("keys", 1)));
            for (int i = 0; i < variants.size(); i++) {
                Path packed = ArchiveSurgery.pack(variants.get(i), tmp.resolve("variant.snap"));
                cases.add(archiveCase(seal + "-retarred-" + i, Files.readAllBytes(packed), keyArgs));
            }
            String sidecar = Files.readString(Path.of(a.getValue() + ".info.json"));
            for (String edited : List.of("{ not json", "", sidecar.replaceAll("\"sha-256=[^\"]+\"", "\"sha-256=AA\""),
                    sidecar.replaceAll("\"format_version\" : \\d+", "\"format_version\" : 99"))) {
                cases.add(new Case(seal + "-sidecar-" + cases.size(), copyWithSidecar(a.getValue(), clean, edited),
                        keyArgs));
            }
        }

        List<String> failures = new ArrayList<>();
        int exitZero = 0;
        for (Case c : cases) {
            Path out = tmp.resolve("restored-" + c.name + ".db");
            List<String> args = new ArrayList<>(List.of("restore", c.input.toString(), "--backend", out.toString()));
            args.addAll(c.extraArgs);
            Outcome o = inProcess(args.toArray(String[]::new));
            String verdict = judge(o, out, () -> walOracle(cleanWal));
            if (verdict != null) {
                failures.add(c.name + ": " + verdict);
            }
            exitZero += o.exit == 0 ? 1 : 0;
        }
        System.out.println("archive corpus: " + cases.size() + " cases, " + exitZero + " exit 0, "
                + (cases.size() - exitZero) + " exit 2");
        assertTrue(cases.size() >= 150, cases.size() + " cases");
        assertEquals(List.of(), failures, "of " + cases.size() + " cases (" + exitZero + " exit 0):\n"
                + String.join("\n", failures));
        throughTheJar(cases.subList(0, 3), "restore", null);
    }

    /** null when the outcome is acceptable, else why not. */
    private static String judge(Outcome o, Path published, java.util.concurrent.Callable<List<String>> oracle)
            throws Exception {
        if (o.exit == 0) {
            List<String> expected = oracle.call();
            List<String> got = BackendRows.state(published);
            return expected.equals(got) ? null : "exit 0 with another state (" + got.size() + " rows vs " + expected.size()
                    + ")";
        }
        if (o.exit != 2) {
            return "exit " + o.exit + ": " + o.stderr.strip();
        }
        if (o.stderr.strip().lines().count() != 1) {
            return "exit 2 with " + o.stderr.strip().lines().count() + " lines: " + o.stderr;
        }
        if (Files.exists(published)) {
            return "exit 2 but " + published.getFileName() + " was published: " + o.stderr.strip();
        }
        return null;
    }

    /**
     * What a WAL that replayed with exit 0 must have given: the clean WAL's state, cut where its tail tore (the
     * last segment ends at the torn record, or where a cut left it).
     */
    private static List<String> walOracle(Path damaged) throws Exception {
        Outcome inspect = inProcess("wal", "inspect", damaged.toString(), "--json");
        JsonNode report = JSON.readTree(inspect.stdout);
        List<Path> clean = WalSurgery.segments(cleanWal);
        Path last = clean.get(clean.size() - 1);
        List<Path> damagedSegments = WalSurgery.segments(damaged);
        long cut = report.path("torn_tail").isNull() || report.path("torn_tail").isMissingNode()
                ? Files.size(damagedSegments.get(damagedSegments.size() - 1))
                : report.at("/torn_tail/offset").asLong();
        synchronized (oracles) {
            List<String> known = oracles.get(cut);
            if (known != null) {
                return known;
            }
        }
        Path dir = EtcdFixtures.copyTree(cleanWal, Files.createTempDirectory(work, "oracle-"));
        WalSurgery.truncate(dir.resolve(last.getFileName()), cut);
        Path backend = dir.resolveSibling(dir.getFileName() + ".db");
        assertEquals(0, inProcess("replay", "--wal-dir", dir.toString(), "--backend", backend.toString()).exit(),
                "the clean WAL cut at " + cut);
        List<String> state = BackendRows.state(backend);
        synchronized (oracles) {
            oracles.put(cut, state);
        }
        return state;
    }

    private void throughTheJar(List<Case> cases, String command, String flag) throws Exception {
        for (Case c : cases) {
            Path out = tmp.resolve("jar-" + c.name + ".db");
            Path inProcessOut = tmp.resolve("in-" + c.name + ".db");
            List<String> args = new ArrayList<>(flag == null ? List.of(command, c.input.toString())
                    : List.of(command, flag, c.input.toString()));
            args.addAll(List.of("--backend", out.toString()));
            args.addAll(c.extraArgs);
            Launcher.Result jar = Launcher.run(tmp, args.toArray(String[]::new));
            args.set(args.indexOf(out.toString()), inProcessOut.toString());
            Outcome in = inProcess(args.toArray(String[]::new));
            assertEquals(in.exit, jar.exit(), c.name + ": the JAR and the entry point agree");
            assertEquals(in.stderr.strip().replace(inProcessOut.toString(), "<out>"),
                    jar.stderr().strip().replace(out.toString(), "<out>"), c.name);
        }
    }

    private Case walCase(String name, Random random, IoConsumer<Path> damage) throws Exception {
        return walCase(name, random, random.nextInt(WalSurgery.segments(cleanWal).size()), damage);
    }

    private Case walCase(String name, Random random, int segment, IoConsumer<Path> damage) throws Exception {
        Path dir = EtcdFixtures.copyTree(cleanWal, tmp.resolve("wal-" + name));
        damage.accept(dir.resolve(WalSurgery.segments(cleanWal).get(segment).getFileName()));
        return new Case(name, dir, List.of());
    }

    private Case walDirCase(String name, IoConsumer<Path> damage) throws Exception {
        Path dir = EtcdFixtures.copyTree(cleanWal, tmp.resolve("wal-" + name));
        damage.accept(dir);
        return new Case(name, dir, List.of());
    }

    private Case archiveCase(String name, byte[] bytes, List<String> keyArgs) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("archive-" + name));
        return new Case(name, Files.write(dir.resolve("a.snap"), bytes), keyArgs);
    }

    private Path copyWithSidecar(Path archive, byte[] bytes, String sidecar) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sidecar-" + System.nanoTime()));
        Path copy = Files.write(dir.resolve("a.snap"), bytes);
        Files.writeString(Path.of(copy + ".info.json"), sidecar);
        return copy;
    }

    @FunctionalInterface
    interface IoConsumer<T> {
        void accept(T t) throws Exception;
    }

    private static WalSurgery.Frame randomFrame(Path segment, Random random) throws Exception {
        List<WalSurgery.Frame> frames = WalSurgery.frames(segment);
        return frames.get(random.nextInt(frames.size()));
    }

    private static long seq(Path segment) {
        return Long.parseUnsignedLong(segment.getFileName().toString().substring(0, 16), 16);
    }

    private static long index(Path segment) {
        return Long.parseUnsignedLong(segment.getFileName().toString().substring(17, 33), 16);
    }

    private static String segmentName(long seq, long index) {
        return String.format("%016x-%016x.wal", seq, index);
    }

    static Outcome inProcess(String... args) {
        Launcher.Result r = Launcher.inProcess(args);
        return new Outcome(r.exit(), r.stdout(), r.stderr());
    }
}
