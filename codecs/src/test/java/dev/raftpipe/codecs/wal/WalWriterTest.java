package dev.raftpipe.codecs.wal;

import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.WalRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalWriterTest {
    @EtcdFixture("single")
    static Path single;
    @EtcdFixture("partition")
    static Path partition;

    @TempDir
    Path tmp;

    static WalWriteSummary rewrite(Path from, Path to, WalWriter.Options options) throws IOException {
        try (WalWriter w = WalWriter.create(to, options)) {
            for (WalRecord r : WalRecords.readAll(from)) {
                w.write(r);
            }
            return w.commit();
        }
    }

    @Test
    void rewritingEtcdsWalGivesBackEtcdsBytesExactly() throws IOException {
        for (Path from : List.of(EtcdFixtures.walDir(single, "n1"), EtcdFixtures.walDir(partition, "n2"))) {
            Path to = tmp.resolve(from.getParent().getParent().getFileName() + "-wal");
            WalWriteSummary s = rewrite(from, to, WalWriter.Options.DEFAULTS);
            assertEquals(List.of("0000000000000000-0000000000000000.wal"), s.segments());
            Path name = Path.of(s.segments().get(0));
            assertArrayEquals(Files.readAllBytes(from.resolve(name)), Files.readAllBytes(to.resolve(name)),
                    "segment bytes differ for " + from);
        }
    }

    @Test
    void smallSegmentsAreCutNamedAndChainedAsEtcdDoes() throws IOException {
        Path from = EtcdFixtures.walDir(single, "n1");
        Path to = tmp.resolve("wal");
        WalWriter.Options small = new WalWriter.Options(16 * 1024, 1 << 16, true, false, Optional.empty());
        WalWriteSummary s = rewrite(from, to, small);
        assertTrue(s.segments().size() >= 3, "segments: " + s.segments());
        List<WalSegment> segments = WalSegment.list(to);
        assertEquals(0, segments.get(0).index());
        for (int i = 1; i < segments.size(); i++) {
            assertEquals(i, segments.get(i).seq());
            assertTrue(segments.get(i).index() > segments.get(i - 1).index());
        }

        List<WalRecord> original = WalRecords.readAll(from);
        List<WalRecord> reread = WalRecords.readAll(to);
        assertEquals(entries(original), entries(reread));

        // Without its first segment (as after etcd purged it) the chain is seeded from the next one.
        Files.delete(segments.get(0).path());
        List<WalRecord> tail = WalRecords.readAll(to);
        assertFalse(tail.isEmpty());
        WalRecord.EntryRecord first = (WalRecord.EntryRecord) tail.stream()
                .filter(r -> r instanceof WalRecord.EntryRecord).findFirst().orElseThrow();
        assertEquals(segments.get(1).index(), first.entry().index());
        assertEquals(417, ((WalRecord.EntryRecord) entries(tail).get(entries(tail).size() - 1)).entry().index());
    }

    /** A consumer that ships segments away as they close finds each alone on disk, complete, in order. */
    @Test
    void segmentsHandedOffAsTheyCloseAreAloneOnDiskAndWhole() throws IOException {
        Path from = EtcdFixtures.walDir(single, "n1");
        Path shipped = Files.createDirectories(tmp.resolve("shipped"));
        List<String> handed = new java.util.ArrayList<>();
        WalWriter.SegmentHandOff ship = closed -> {
            try (var here = Files.list(closed.path().getParent())) {
                assertEquals(List.of(closed.path()), here.toList(), "only the closed segment is on disk");
            }
            handed.add(closed.path().getFileName().toString());
            Files.move(closed.path(), shipped.resolve(closed.path().getFileName()));
        };
        WalWriter.Options small = new WalWriter.Options(16 * 1024, 1 << 16, false, false, Optional.empty());
        Path to = tmp.resolve("wal");
        WalWriteSummary s;
        try (WalWriter w = WalWriter.create(to, small, Optional.of(ship))) {
            for (WalRecord r : WalRecords.readAll(from)) {
                w.write(r);
            }
            s = w.commit();
        }
        assertTrue(handed.size() >= 3, "segments: " + handed);
        assertEquals(s.segments(), handed, "every segment, in order, the last one at commit");
        try (var left = Files.list(to)) {
            assertEquals(0, left.count(), "the writer kept nothing");
        }
        assertEquals(entries(WalRecords.readAll(from)), entries(WalRecords.readAll(shipped)));
    }

    @Test
    void aFailedWriteLeavesNothingAtTheTarget() throws IOException {
        Path to = tmp.resolve("wal");
        try (WalWriter w = WalWriter.create(to, WalWriter.Options.DEFAULTS)) {
            for (WalRecord r : WalRecords.readAll(EtcdFixtures.walDir(single, "n1")).subList(0, 50)) {
                w.write(r);
            }
            // closed without commit
        }
        assertFalse(Files.exists(to));
        try (var siblings = Files.list(tmp)) {
            assertEquals(0, siblings.count(), "temporary directory left behind");
        }
    }

    @Test
    void refusesToWriteOverAnExistingWal() throws IOException {
        Path to = tmp.resolve("wal");
        Files.createDirectories(to);
        Files.write(to.resolve("0000000000000000-0000000000000000.wal"), new byte[] {1});
        assertThrows(FileAlreadyExistsException.class, () -> WalWriter.create(to, WalWriter.Options.DEFAULTS));
    }

    private static List<WalRecord> entries(List<WalRecord> records) {
        return records.stream().filter(r -> r instanceof WalRecord.EntryRecord).toList();
    }
}
