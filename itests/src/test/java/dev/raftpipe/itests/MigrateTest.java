package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.itests.bench.BulkWal;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code raftpipe migrate} from the launcher JAR: many clusters at once on the real fixtures, bad ones
 * failing alone, re-runs doing no finished work, a killed migration finishing on its re-run, and a
 * Pekko Cluster of worker processes on 127.0.0.1 losing one worker to SIGKILL mid-plan.
 */
class MigrateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRETS = "/registry/secrets/";
    private static final String[] JOBS = {"backup", "replay", "seal"};

    @TempDir
    static Path tmp;
    static Path scratchConfig;
    static Path maskKey;
    /** Source data dir → job → the single-cluster command's output. */
    static final Map<Path, Map<String, Path>> REFERENCE = new HashMap<>();
    static Path single;
    static Path partition;
    static Path bulk;
    static Path corruptCrc;
    static Path corruptEntry;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void fixtures() throws Exception {
        Path fixtures = tmp.resolve("fixtures");
        single = EtcdFixtures.extract("single", fixtures).resolve("n1.etcd");
        partition = EtcdFixtures.extract("partition", fixtures).resolve("n2.etcd");
        bulk = tmp.resolve("bulk.etcd");
        BulkWal.write(single.resolve("member/wal"), bulk, 40_000, 200);
        corruptCrc = damaged(single, "crc.etcd", 5000);
        corruptEntry = damaged(partition, "entry.etcd", 6000);
        maskKey = tmp.resolve("mask.key");
        Files.write(maskKey, new byte[32]);
        // backups are compared byte for byte; zero-filling 64 MB per segment would only cost disk here
        scratchConfig = tmp.resolve("scratch.conf");
        Files.writeString(scratchConfig, "raftpipe.wal-sink.preallocate = off\n");
        for (Path source : List.of(single, partition, bulk)) {
            Map<String, Path> refs = new HashMap<>();
            Path dir = Files.createDirectories(tmp.resolve("reference").resolve(source.getFileName().toString()));
            refs.put("backup", run(dir, "backup", "--data-dir", source.toString(), "--backup-dir", "out",
                    "--mask-prefix", SECRETS, "--mask-key-file", maskKey.toString(), "--keep-ids",
                    "--config", scratchConfig.toString()));
            // migrate replays and seals a data dir with its db as etcd starts from it (the db's auth buckets
            // included), and a bare WAL from its first entry: the single commands that do the same
            if (Files.isRegularFile(source.resolve("member/snap/db"))) {
                refs.put("replay", run(dir, "replay", "--data-dir", source.toString(), "--backend", "out.db"));
                refs.put("seal", run(dir, "seal", "--data-dir", source.toString(), "--out", "out.snap"));
            } else {
                refs.put("replay", run(dir, "replay", "--wal-dir", source.resolve("member/wal").toString(), "--backend", "out.db"));
                run(dir, "replay", "--wal-dir", source.resolve("member/wal").toString(), "--backend", "for-seal.db");
                refs.put("seal", run(dir, "seal", "--backend", "for-seal.db", "--out", "out.snap"));
            }
            REFERENCE.put(source, refs);
        }
    }

    @AfterEach
    void stopProcesses() {
        started.forEach(p -> p.toHandle().destroyForcibly());
    }

    @Test
    void fortyClustersEightAtATimeBadOnesFailAloneAndReRunsSkipTheRest() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("forty"));
        StringBuilder plan = new StringBuilder(planHeader(work));
        List<String[]> good = new ArrayList<>();
        for (int i = 0; i < 38; i++) {
            Path source = i % 2 == 0 ? single : partition;
            String job = JOBS[i % 3];
            good.add(new String[] {"c" + i, job, source.toString()});
            plan.append(cluster("c" + i, job, source));
        }
        plan.append(cluster("bad-crc", "replay", corruptCrc)).append(cluster("bad-entry", "backup", corruptEntry));
        Path planFile = write(work, plan.append("]\n").toString());

        Launcher.Result first = migrate(work, planFile, "--parallelism", "8");
        assertEquals(2, first.exit(), first.stderr());
        JsonNode report = JSON.readTree(first.stdout());
        assertEquals(38, report.get("succeeded").asInt(), first.stdout());
        assertEquals(2, report.get("failed_verification").asInt(), first.stdout());
        Map<String, JsonNode> byName = byName(report);
        assertTrue(byName.get("bad-crc").get("error").asText().contains("CRC mismatch"), byName.get("bad-crc").toString());
        assertTrue(byName.get("bad-entry").get("error").asText().contains("entry.etcd"), byName.get("bad-entry").toString());
        Path out = work.resolve("out");
        Map<String, FileTime> modified = new HashMap<>();
        for (String[] c : good) {
            Path output = out.resolve(c[0] + suffix(c[1]));
            assertSame(REFERENCE.get(Path.of(c[2])).get(c[1]), output);
            modified.put(c[0], Files.getLastModifiedTime(output));
        }
        assertEquals(List.of(), MigrationOutputs.leftovers(out));
        assertTrue(Files.notExists(out.resolve("bad-crc.db")) && Files.notExists(out.resolve("bad-entry")),
                "a failed cluster publishes nothing");

        Launcher.Result again = migrate(work, planFile, "--parallelism", "8");
        assertEquals(2, again.exit(), again.stderr());
        JsonNode second = JSON.readTree(again.stdout());
        assertEquals(38, second.get("skipped").asInt(), again.stdout());
        for (String[] c : good) {
            assertEquals(modified.get(c[0]), Files.getLastModifiedTime(out.resolve(c[0] + suffix(c[1]))), c[0] + " was redone");
        }
        Map<String, List<String>> journal = MigrationOutputs.journal(planFile.resolveSibling("plan.conf.journal.db"));
        assertEquals("1", journal.get("c0").get(2));
        assertEquals(List.of("failed-verification", "null", "2"), journal.get("bad-crc"));
    }

    @Test
    void aKilledMigrationFinishesOnItsReRunWithTheSameOutputs() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("killed"));
        StringBuilder plan = new StringBuilder(planHeader(work));
        for (int i = 0; i < 9; i++) {
            plan.append(cluster("k" + i, JOBS[i % 3], bulk));
        }
        Path planFile = write(work, plan.append("]\n").toString());
        Path journal = work.resolve("plan.conf.journal.db");
        Process p = start(work, List.of(), "migrate", "--plan", planFile.toString(), "--parallelism", "2",
                "--config", scratchConfig.toString(), "--quiet");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Map<String, List<String>> rows = Map.of();
        while (p.isAlive() && System.nanoTime() < deadline) {
            rows = MigrationOutputs.journal(journal);
            if (MigrationOutputs.count(rows, "succeeded") >= 2 && MigrationOutputs.count(rows, "running") >= 1) {
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the migration ended before it could be killed mid-run: " + rows);
        p.toHandle().destroyForcibly();
        p.waitFor();
        long finishedBefore = MigrationOutputs.count(MigrationOutputs.journal(journal), "succeeded");

        Launcher.Result rerun = migrate(work, planFile, "--parallelism", "2");
        assertEquals(0, rerun.exit(), rerun.stdout() + rerun.stderr());
        JsonNode report = JSON.readTree(rerun.stdout());
        assertEquals(finishedBefore, report.get("skipped").asLong(), rerun.stdout());
        for (int i = 0; i < 9; i++) {
            String job = JOBS[i % 3];
            assertSame(REFERENCE.get(bulk).get(job), work.resolve("out").resolve("k" + i + suffix(job)));
        }
        assertEquals(List.of(), MigrationOutputs.leftovers(work.resolve("out")));
    }

    @Test
    void aPekkoClusterLosingAWorkerToSigkillStillCompletesThePlan() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("cluster"));
        StringBuilder plan = new StringBuilder(planHeader(work));
        for (int i = 0; i < 9; i++) {
            plan.append(cluster("w" + i, JOBS[i % 3], bulk));
        }
        Path planFile = write(work, plan.append("]\n").toString());
        Path journal = work.resolve("plan.conf.journal.db");
        int[] ports = {freePort(), freePort(), freePort()};
        String seed = "127.0.0.1:" + ports[0];
        List<String> fast = List.of("-Dpekko.cluster.split-brain-resolver.stable-after=3s");
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(start(work, fast, "worker", "--port", String.valueOf(ports[i]), "--cluster", seed,
                    "--config", scratchConfig.toString()));
        }
        Process migrate = start(work, fast, "migrate", "--plan", planFile.toString(), "--parallelism", "4", "--cluster",
                seed, "--config", scratchConfig.toString(), "--json", "--quiet", "--verbose");
        String victim = "pekko://raftpipe@127.0.0.1:" + ports[1];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean killed = false;
        while (migrate.isAlive() && System.nanoTime() < deadline) {
            boolean victimBusy = MigrationOutputs.journal(journal).values().stream()
                    .anyMatch(r -> r.get(0).equals("running") && r.get(1).equals(victim));
            if (victimBusy) {
                workers.get(1).toHandle().destroyForcibly();
                killed = true;
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(killed, "worker 2 never ran a job before the plan ended: " + MigrationOutputs.journal(journal));
        assertTrue(migrate.waitFor(180, TimeUnit.SECONDS), "the migration did not finish after losing a worker: "
                + MigrationOutputs.journal(journal) + "\n" + tail(work.resolve("migrate-3.err")));
        String stdout = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, migrate.exitValue(), stdout + tail(work.resolve("migrate-3.err")));
        JsonNode report = JSON.readTree(stdout);
        assertEquals(9, report.get("succeeded").asInt(), stdout);
        boolean rerunElsewhere = false;
        for (JsonNode c : report.get("results")) {
            assertTrue(!c.get("worker").asText().equals(victim), "a job is reported done by the killed worker: " + c);
            rerunElsewhere |= c.get("attempts").asInt() > 1;
        }
        assertTrue(rerunElsewhere, "no job was run again after its worker died: " + stdout);
        for (int i = 0; i < 9; i++) {
            String job = JOBS[i % 3];
            assertSame(REFERENCE.get(bulk).get(job), work.resolve("out").resolve("w" + i + suffix(job)));
        }
        assertEquals(List.of(), MigrationOutputs.leftovers(work.resolve("out")));
    }

    /** The output holds what the single-cluster command's does (compared without printing either). */
    private static void assertSame(Path reference, Path output) {
        assertTrue(MigrationOutputs.of(reference).equals(MigrationOutputs.of(output)),
                output + " differs from the single-cluster command's " + reference);
    }

    private static String planHeader(Path work) {
        return "defaults { target-dir = \"" + work.resolve("out") + "\", mask-prefixes = [\"" + SECRETS + "\"], "
                + "mask-key-file = \"" + maskKey + "\", keep-ids = true }\nclusters = [\n";
    }

    private static String cluster(String name, String job, Path source) {
        return "  { name = " + name + ", job = " + job + ", source = \"" + source + "\" }\n";
    }

    private static String suffix(String job) {
        return switch (job) {
            case "replay" -> ".db";
            case "seal" -> ".snap";
            default -> "";
        };
    }

    private static Path write(Path work, String plan) throws IOException {
        return Files.writeString(work.resolve("plan.conf"), plan);
    }

    private Launcher.Result migrate(Path work, Path planFile, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("migrate", "--plan", planFile.toString(), "--json",
                "--config", scratchConfig.toString()));
        args.addAll(List.of(more));
        return Launcher.run(work, args.toArray(String[]::new));
    }

    /** Starts the launcher in the background; its stderr goes to {@code <work>/<args[0]>-<n>.err}. */
    private Process start(Path work, List<String> jvm, String... args) throws IOException {
        Path err = work.resolve(args[0] + "-" + started.size() + ".err");
        Process p = new ProcessBuilder(Launcher.command(jvm, args)).directory(work.toFile())
                .redirectError(err.toFile()).start();
        started.add(p);
        return p;
    }

    private static Path run(Path dir, String... args) throws Exception {
        Launcher.Result r = Launcher.run(dir, args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.stderr());
        List<String> list = List.of(args);
        for (String flag : List.of("--out", "--backup-dir", "--backend")) {
            if (list.contains(flag)) {
                return dir.resolve(list.get(list.indexOf(flag) + 1));
            }
        }
        throw new IllegalArgumentException("no output in " + list);
    }

    private static Path damaged(Path source, String name, int offset) throws IOException {
        Path copy = EtcdFixtures.copyTree(source, tmp.resolve(name));
        Path segment;
        try (var files = Files.list(copy.resolve("member/wal"))) {
            segment = files.filter(f -> f.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(segment);
        b[offset] ^= (byte) 0xff;
        Files.write(segment, b);
        return copy;
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file);
        return s.substring(Math.max(0, s.length() - 4000));
    }

    private static Map<String, JsonNode> byName(JsonNode report) {
        Map<String, JsonNode> out = new HashMap<>();
        report.get("results").forEach(c -> out.put(c.get("name").asText(), c));
        return out;
    }

    private static int freePort() throws IOException {
        return EtcdProcess.freePort();
    }
}
