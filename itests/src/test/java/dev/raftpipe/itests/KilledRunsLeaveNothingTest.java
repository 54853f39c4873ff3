package dev.raftpipe.itests;

import dev.raftpipe.itests.bench.BulkWal;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each command killed with SIGKILL while it builds its output (as soon as its temporary file appears) publishes
 * nothing; the next run succeeds with the output an uninterrupted run gives and removes the killed run's
 * temporary files: replay into a new backend, backup, seal, restore, and migrate.
 */
class KilledRunsLeaveNothingTest {
    private static final long ENTRIES = 40_000;

    @TempDir
    static Path work;
    static Path dataDir;
    static Path walDir;
    static Path referenceDb;
    static Path referenceArchive;

    @TempDir
    Path tmp;

    @BeforeAll
    static void inputs() throws Exception {
        Path single = EtcdFixtures.extract("single", work.resolve("fixture"));
        dataDir = work.resolve("bulk");
        BulkWal.write(EtcdFixtures.walDir(single, "n1"), dataDir, ENTRIES, 200);
        walDir = dataDir.resolve("member/wal");
        referenceDb = work.resolve("reference.db");
        assertEquals(0, Launcher.run(work, "replay", "--wal-dir", walDir.toString(), "--backend",
                referenceDb.toString()).exit());
        referenceArchive = work.resolve("reference.snap");
        assertEquals(0, Launcher.run(work, "seal", "--backend", referenceDb.toString(), "--out",
                referenceArchive.toString()).exit());
    }

    @Test
    void replayIntoANewBackend() throws Exception {
        Path out = tmp.resolve("replayed.db");
        killThenRerun(out, "replay", "--wal-dir", walDir.toString(), "--backend", out.toString());
        assertEquals(BackendRows.of(referenceDb), BackendRows.of(out));
    }

    @Test
    void seal() throws Exception {
        Path out = tmp.resolve("sealed.snap");
        killThenRerun(out, "seal", "--backend", referenceDb.toString(), "--out", out.toString());
        assertTrue(MigrationOutputs.of(referenceArchive).equals(MigrationOutputs.of(out)));
    }

    @Test
    void restore() throws Exception {
        Path out = tmp.resolve("restored.db");
        killThenRerun(out, "restore", referenceArchive.toString(), "--backend", out.toString());
        assertEquals(BackendRows.of(referenceDb), BackendRows.of(out));
    }

    @Test
    void backup() throws Exception {
        Path out = tmp.resolve("backup");
        killThenRerun(out, "backup", "--data-dir", dataDir.toString(), "--backup-dir", out.toString(), "--keep-ids");
        Path replayed = tmp.resolve("of-backup.db");
        assertEquals(0, Launcher.run(tmp, "replay", "--wal-dir", out.resolve("member/wal").toString(), "--backend",
                replayed.toString()).exit());
        assertEquals(BackendRows.of(referenceDb), BackendRows.of(replayed));
    }

    @Test
    void aWalArchive() throws Exception {
        Path out = tmp.resolve("backup.walsnap");
        killThenRerun(out, "backup", "--data-dir", dataDir.toString(), "--archive", out.toString(), "--keep-ids");
        Path restored = tmp.resolve("of-archive.db");
        Launcher.Result r = Launcher.run(tmp, "restore", out.toString(), "--backend", restored.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(BackendRows.of(referenceDb), BackendRows.of(restored));
    }

    /** A purged data dir with rules: the db rewrite, the .snap, the WAL tail and the backend, killed anywhere in them. */
    @Test
    void aRedactedBackupOfAPurgedDataDir() throws Exception {
        Path fixture = PurgedDataDirs.of(EtcdVersion.V3_5);
        Path key = Files.write(tmp.resolve("mask.key"), new byte[32]);
        java.util.function.Function<String, String[]> args = name -> new String[] {"backup", "--data-dir",
                fixture.toString(), "--backup-dir", tmp.resolve(name).toString(), "--backend",
                tmp.resolve(name + ".db").toString(), "--mask-prefix", PurgedDataDirs.MASKED, "--redact-prefix",
                PurgedDataDirs.DROPPED, "--mask-key-file", key.toString()};
        Launcher.Result reference = Launcher.run(tmp, args.apply("reference"));
        assertEquals(0, reference.exit(), reference.stderr());
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 3; i++) {
            int delay = random.nextInt(300);
            killThenRerun(tmp.resolve("killed-" + i), delay, args.apply("killed-" + i));
            assertEquals(BackendRows.of(tmp.resolve("reference.db")), BackendRows.of(tmp.resolve("killed-" + i + ".db")),
                    "seed " + seed + ", killed " + delay + " ms in");
        }
    }

    @Test
    void migrate() throws Exception {
        Path plan = Files.writeString(tmp.resolve("plan.conf"), """
                defaults { target-dir = "%s" }
                clusters = [ { name = bulk, job = seal, source = "%s" } ]
                """.formatted(tmp.resolve("migrated"), referenceDb));
        Path out = tmp.resolve("migrated/bulk.snap");
        Files.createDirectories(out.getParent());
        killThenRerun(out, "migrate", "--plan", plan.toString());
        assertTrue(MigrationOutputs.of(referenceArchive).equals(MigrationOutputs.of(out)));
    }

    private void killThenRerun(Path out, String... args) throws Exception {
        killThenRerun(out, 20, args); // into the work, well before its end even on a fast machine
    }

    /**
     * Kills the command {@code delayMs} after a temporary file of {@code out} appears, checks nothing was published,
     * runs it again.
     */
    private void killThenRerun(Path out, int delayMs, String... args) throws Exception {
        Path dir = out.toAbsolutePath().getParent();
        Process p = new ProcessBuilder(Launcher.command(List.of(), args)).directory(tmp.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        while (p.isAlive() && temps(dir, out).isEmpty()) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(tmp.resolve("killed.log")));
        Thread.sleep(delayMs);
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertFalse(Files.exists(out) && !args[0].equals("migrate"), "a killed run published " + out + " (or it ended "
                + "within " + delayMs + " ms)");
        assertFalse(temps(dir, out).isEmpty(), "SIGKILL leaves the run's temporary files behind");

        Launcher.Result again = Launcher.run(tmp, args);
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(Files.exists(out));
        assertEquals(List.of(), temps(dir, out), "the next run removed the killed run's temporary files");
    }

    private static List<Path> temps(Path dir, Path out) throws Exception {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith(out.getFileName() + ".tmp-")
                    || p.getFileName().toString().contains(".info.json.tmp-")).forEach(found::add);
        }
        return found;
    }
}
