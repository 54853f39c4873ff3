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
 * {@code raftpipe replay} killed with SIGKILL at several points and run again ends with the same backend
 * as an uninterrupted run: every batch commits with its consistent_index, and the guard skips it later.
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
        int midway = 0;
        long previous = 0;
        for (long delayMs : new long[]{900, 1400, 1900, 2400, 3000}) {
            Process p = new ProcessBuilder(Launcher.command(SMALL_BATCHES, "replay", "--wal-dir", wal.toString(),
                    "--backend", db.toString(), "--quiet"))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
            if (p.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
                break; // finished before the kill point
            }
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);
            if (holdsABackend(db)) {
                long applied = meta(db).consistentIndex();
                assertTrue(applied >= previous, "the backend never goes back: " + applied + " < " + previous);
                if (applied > previous && applied < last) {
                    midway++;
                }
                previous = applied;
            }
        }
        assertTrue(midway >= 1, "no kill landed in the middle of a replay");

        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend", db.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(expectedMeta, meta(db));
        assertEquals(expected, BackendRows.of(db));
    }

    /** A kill during start-up may leave no file, or one whose schema never committed. */
    private static boolean holdsABackend(Path db) {
        try {
            meta(db);
            return true;
        } catch (dev.raftpipe.store.BackendException | dev.raftpipe.store.BackendFormatException notYet) {
            return false;
        }
    }

    private static BackendMeta meta(Path db) {
        try (BackendSnapshot s = Backend.snapshot(db)) {
            return s.meta();
        }
    }
}
