package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

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

    @TempDir
    static Path fixtures;
    static Path single;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() {
        single = EtcdFixtures.extract("single", fixtures);
    }

    @Test
    void aFlippedRecordTypeIsCorruptionNotAnOverwrite() throws Exception {
        Path wal = copy("type");
        patch(wal.resolve(SEGMENT), 32673, (byte) 0x02); // a hard state's type byte, now an entry's
        assertCorrupt(wal);
    }

    @Test
    void aLengthAboveTheRecordLimitInTheLastSegmentIsCorruptionNotATornTail() throws Exception {
        Path wal = copy("length");
        patch(wal.resolve(SEGMENT), 24952 + 4, (byte) 0x40); // record 200's length grows past 1 GiB
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
        patch(wal.resolve(SEGMENT), 107784, (byte) 0x5a); // data of an entry near the end: a CRC mismatch
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

    private static void patch(Path file, long offset, byte value) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(value);
        }
    }
}
