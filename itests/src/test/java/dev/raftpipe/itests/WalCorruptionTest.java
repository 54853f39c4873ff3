package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corruption that used to pass as exit 0: a flipped record type (a hard state read as an entry that replaces a
 * committed one), a flipped length in the last segment taken for a torn tail, an empty first segment, a WAL dir
 * without segments. Each is exit 2 with one line, and no backend is left at the published path.
 */
class WalCorruptionTest {
    private static final String SEGMENT = "0000000000000000-0000000000000000.wal";

    @EtcdFixture("single")
    static Path single;

    @TempDir
    Path tmp;

    @Test
    void aFlippedRecordTypeIsCorruptionNotAnOverwrite() throws Exception {
        Path wal = copy("type");
        WalSurgery.patch(wal.resolve(SEGMENT), 32673, (byte) 0x02); // a hard state's type byte, now an entry's
        assertCorrupt(wal);
    }

    @Test
    void aLengthAboveTheRecordLimitInTheLastSegmentIsCorruptionNotATornTail() throws Exception {
        Path wal = copy("length");
        WalSurgery.patch(wal.resolve(SEGMENT), 24952 + 4, (byte) 0x40); // record 200's length grows past 1 GiB
        assertCorrupt(wal);
    }

    @Test
    void anEmptyFirstSegmentAndADirWithoutSegmentsAreCorruptionAndANonDirIsAUsageError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-segment"));
        Files.createFile(empty.resolve(SEGMENT));
        assertCorrupt(empty);
        assertCorrupt(Files.createDirectories(tmp.resolve("no-segments")));
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", file.toString(), "--backend",
                tmp.resolve("x.db").toString());
        assertEquals(1, r.exit(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    }

    @Test
    void aReplayThatFailsAfterSomeBatchesPublishesNoNewBackend() throws Exception {
        Path wal = copy("late-damage");
        WalSurgery.patch(wal.resolve(SEGMENT), 107784, (byte) 0x5a); // data of an entry near the end: a CRC mismatch
        Path conf = Files.writeString(tmp.resolve("small-batches.conf"), "raftpipe.replay-sink.batch-entries = 50\n");
        Path backend = tmp.resolve("partial.db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend", backend.toString(),
                "--config", conf.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertFalse(Files.exists(backend), "batches were committed before the damage, but not at the published path");
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("partial.db")), "no temp file left");
        }
    }

    @Test
    void anExistingBackendAdvancedBeforeTheDamageSaysHowFar() throws Exception {
        Path dataDir = tmp.resolve("bulk");
        dev.raftpipe.itests.bench.BulkWal.write(EtcdFixtures.walDir(single, "n1"), dataDir, 20_000, 100);
        Path wal = dataDir.resolve("member/wal");
        List<Path> segments = WalSurgery.segments(wal);
        Path last = segments.get(segments.size() - 1);
        // the data of a record some 200 records before the end of the last segment: a CRC mismatch, not a torn tail
        List<WalSurgery.Frame> frames = WalSurgery.frames(last);
        WalSurgery.patch(last, frames.get(frames.size() - 200).offset() + 40, (byte) 0x5a);
        Path backend = tmp.resolve("existing.db");
        assertEquals(0, Launcher.run(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", backend.toString()).exit());
        Path conf = Files.writeString(tmp.resolve("small-batches.conf"), "raftpipe.replay-sink.batch-entries = 50\n");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend", backend.toString(),
                "--config", conf.toString(), "--json");
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
        long reached;
        try (var snapshot = dev.raftpipe.store.Backend.snapshot(backend)) {
            reached = snapshot.meta().consistentIndex();
        }
        assertTrue(reached > 417, "valid entries before the damage were applied: " + reached);
        assertTrue(r.stderr().contains("WAL corrupted in " + last) && r.stderr().contains("advanced to index " + reached),
                "names the damage and how far the backend got: " + r.stderr());
        assertEquals(reached, report.get("consistent_index").asLong(), "--json says it too: " + r.stdout());
        assertEquals(2, report.get("exit_code").asInt());
    }

    private void assertCorrupt(Path wal) throws Exception {
        Path backend = tmp.resolve(wal.getFileName() + ".db");
        for (String[] command : new String[][] {{"wal", "inspect", wal.toString()},
                {"replay", "--wal-dir", wal.toString(), "--backend", backend.toString()}}) {
            Launcher.Result r = Launcher.run(tmp, command);
            assertEquals(2, r.exit(), String.join(" ", command) + ": " + r.stderr() + r.stdout());
            assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
            assertTrue(r.stderr().contains(wal.toString()), "names the WAL: " + r.stderr());
        }
        assertFalse(Files.exists(backend), "no backend published");
    }

    private Path copy(String name) {
        return EtcdFixtures.copyTree(EtcdFixtures.walDir(single, "n1"), tmp.resolve(name));
    }
}
