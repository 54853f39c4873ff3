package dev.raftpipe.itests;

import dev.raftpipe.itests.bench.BulkWal;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendMeta;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code raftpipe replay} into an existing backend killed with SIGKILL at several points and run again ends with
 * the same backend as an uninterrupted run: every batch commits with its consistent_index, and the guard skips it
 * later. (A new backend is built under a temporary name and appears only when its replay succeeded.)
 */
class ReplayCrashTest {
    private static final long ENTRIES = 60_000;
    /** Small batches: many commits, so a kill lands between and inside them. */
    private static final List<String> SMALL_BATCHES = List.of("-Draftpipe.replay-sink.batch-entries=200");

    @TempDir
    Path tmp;

    @Test
    void killedReplaysFinishWithTheSameBackend() throws Exception {
        Path single = EtcdFixtures.extract("single", tmp.resolve("fixture"));
        Path wal = BulkWal.write(EtcdFixtures.walDir(single, "n1"), tmp.resolve("bulk"), ENTRIES, 200).walDir();
        long last = 417 + ENTRIES;

        Path reference = tmp.resolve("reference.db");
        assertEquals(0, Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend", reference.toString()).exit());
        List<String> expected = BackendRows.of(reference);
        BackendMeta expectedMeta = meta(reference);

        Path db = tmp.resolve("killed.db");
        // a new backend is published only when its replay succeeds: the backend the kills interrupt already exists
        // (the fixture's own 417 entries, which the bulk WAL begins with), so each run continues it through the guard
        assertEquals(0, Launcher.run(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", db.toString()).exit());
        int midway = 0;
        long previous = 0;
        StringBuilder rounds = new StringBuilder();
        // kill each run once the backend has passed the next quarter of the log, whatever the machine's speed
        for (int quarter = 1; quarter <= 3; quarter++) {
            long killAt = last * quarter / 4;
            Process p = new ProcessBuilder(Launcher.command(SMALL_BATCHES, "replay", "--wal-dir", wal.toString(),
                    "--backend", db.toString(), "--quiet"))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
            while (p.isAlive() && appliedUpTo(db) < killAt) {
                Thread.sleep(20);
            }
            if (!p.isAlive()) {
                rounds.append("run ").append(quarter).append(" ended with ").append(p.exitValue()).append(" at ")
                        .append(appliedUpTo(db)).append("; ");
                break; // it finished first
            }
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);
            long applied = appliedUpTo(db);
            assertTrue(applied >= previous, "the backend never goes back: " + applied + " < " + previous);
            if (applied > previous && applied < last) {
                midway++;
            }
            rounds.append("run ").append(quarter).append(" killed at ").append(applied).append("; ");
            previous = applied;
        }
        assertTrue(midway >= 1, "no kill landed in the middle of a replay: " + rounds + Files.readString(
                tmp.resolve("killed.log")));

        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend", db.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(expectedMeta, meta(db));
        assertEquals(expected, BackendRows.of(db));
    }

    /** The backend's consistent_index; 0 while it does not exist yet or its schema is not committed. */
    private static long appliedUpTo(Path db) throws java.io.IOException {
        // not while the file is empty: a reader's lock there would hold up the writer's switch to WAL mode
        if (!Files.exists(db) || Files.size(db) == 0) {
            return 0;
        }
        try {
            return meta(db).consistentIndex();
        } catch (dev.raftpipe.store.BackendException | dev.raftpipe.store.BackendFormatException notYet) {
            return 0;
        }
    }

    private static BackendMeta meta(Path db) {
        try (BackendSnapshot s = Backend.snapshot(db)) {
            return s.meta();
        }
    }
}
