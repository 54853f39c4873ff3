package dev.raftpipe.codecs.wal;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.WalRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalReaderTest {
    @EtcdFixture("single")
    static Path single;
    @EtcdFixture("partition")
    static Path partition;

    @TempDir
    Path tmp;

    static WalReadSummary summarize(Path walDir) throws IOException {
        try (WalReader r = WalReader.open(walDir, WalReader.Options.DEFAULTS)) {
            while (r.next() != null) {
                // drain
            }
            return r.summary();
        }
    }

    @Test
    void readsWhatEtcdWroteInTheSingleMemberFixture() throws IOException {
        List<WalRecord> records = WalRecords.readAll(EtcdFixtures.walDir(single, "n1"));
        WalReadSummary s = summarize(EtcdFixtures.walDir(single, "n1"));
        assertEquals(1, s.count(RecordType.CRC));
        assertEquals(1, s.count(RecordType.METADATA));
        assertEquals(417, s.count(RecordType.ENTRY));
        assertEquals(417, s.count(RecordType.STATE));
        assertEquals(5, s.count(RecordType.SNAPSHOT));
        assertTrue(s.tornTail().isEmpty());
        assertEquals(new WalMetadata(Long.parseUnsignedLong("13896422764091005103"),
                Long.parseUnsignedLong("11574677459374522725")), s.metadata().orElseThrow());

        assertEquals(new WalRecord.CrcRecord(0), records.get(0));
        assertEquals(new WalRecord.SnapshotRecord(WalSnapshot.ZERO), records.get(2));
        List<Long> snapshotIndexes = records.stream().filter(r -> r instanceof WalRecord.SnapshotRecord)
                .map(r -> ((WalRecord.SnapshotRecord) r).snapshot().index()).toList();
        assertEquals(List.of(0L, 101L, 202L, 303L, 404L), snapshotIndexes);
        Entry last = records.stream().filter(r -> r instanceof WalRecord.EntryRecord)
                .map(r -> ((WalRecord.EntryRecord) r).entry()).reduce((a, b) -> b).orElseThrow();
        assertEquals(417, last.index());
        assertEquals(2, last.term());
        HardState lastState = records.stream().filter(r -> r instanceof WalRecord.StateRecord)
                .map(r -> ((WalRecord.StateRecord) r).state()).reduce((a, b) -> b).orElseThrow();
        assertEquals(new HardState(2, Long.parseUnsignedLong("13896422764091005103"), 417), lastState);
    }

    @Test
    void readsTheOldLeadersLogWithItsOverwrittenTail() throws IOException {
        WalReadSummary s = summarize(EtcdFixtures.walDir(partition, "n2"));
        // 93 entries survive; the 8 the cut-off leader took are in the file too, superseded later.
        assertEquals(101, s.count(RecordType.ENTRY));
        assertEquals(51, s.count(RecordType.STATE));
    }

    @Test
    void aZeroedLastRecordIsATornWriteAndIsReported() throws IOException {
        Path wal = EtcdFixtures.copyTree(EtcdFixtures.walDir(single, "n1"), tmp.resolve("wal"));
        Path seg = wal.resolve("0000000000000000-0000000000000000.wal");
        long[] offsets = recordOffsets(seg);
        long lastRecord = offsets[offsets.length - 1];
        long end = endOfRecords(seg);
        // Keep the length word, zero the rest: the sectors after it never reached the disk.
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(lastRecord + 8);
            f.write(new byte[(int) (end - lastRecord - 8)]);
        }
        WalReadSummary s = summarize(wal);
        TornTail torn = s.tornTail().orElseThrow();
        assertEquals(lastRecord, torn.offset());
        assertEquals(417 + 417 + 5 + 1 + 1 - 1, s.records());
    }

    @Test
    void aBadRecordInTheMiddleIsCorruptionWithSegmentAndOffset() throws IOException {
        Path wal = EtcdFixtures.copyTree(EtcdFixtures.walDir(single, "n1"), tmp.resolve("wal"));
        Path seg = wal.resolve("0000000000000000-0000000000000000.wal");
        long[] offsets = recordOffsets(seg);
        long victim = offsets[offsets.length / 2];
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(victim + 20);
            int b = f.read();
            f.seek(victim + 20);
            f.write(b ^ 0x10);
        }
        WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> WalRecords.readAll(wal));
        assertEquals(victim, e.offset());
        assertEquals(seg, e.segment());
    }

    @Test
    void randomBitFlipsNeverEscapeAsAnythingButATypedError() throws IOException {
        Path original = EtcdFixtures.walDir(partition, "n1");
        Path seg = original.resolve("0000000000000000-0000000000000000.wal");
        long end = endOfRecords(seg);
        byte[] pristine = Files.readAllBytes(seg);
        Path wal = tmp.resolve("flip");
        Files.createDirectories(wal);
        Path copy = wal.resolve(seg.getFileName());
        Files.write(copy, pristine);
        Random rnd = new Random(7);
        int corrupted = 0;
        int torn = 0;
        for (int i = 0; i < 300; i++) {
            long offset = (long) (rnd.nextDouble() * end);
            int bit = 1 << rnd.nextInt(8);
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.seek(offset);
                f.write(pristine[(int) offset] ^ bit);
            }
            try {
                WalReadSummary s = summarize(wal);
                if (s.tornTail().isPresent()) {
                    torn++;
                }
            } catch (WalCorruptedException e) {
                corrupted++;
                // A flip in a length word's padding bits or in a crc record shows one record later.
                assertTrue(e.offset() <= end, "error placed past the written records: " + e.getMessage());
                assertEquals(copy, e.segment());
            }
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.seek(offset);
                f.write(pristine[(int) offset]);
            }
        }
        // A flip in a record's bytes always breaks its CRC; only flips in padding go unnoticed.
        assertTrue(corrupted + torn > 250, "corrupted=" + corrupted + " torn=" + torn);
    }

    @Test
    void unknownFilesInTheWalDirectoryAreIgnoredAndMissingSegmentsAreNot() throws IOException {
        Path wal = EtcdFixtures.copyTree(EtcdFixtures.walDir(single, "n1"), tmp.resolve("wal"));
        Files.write(wal.resolve("0.tmp"), new byte[64]);
        Files.write(wal.resolve("notes.txt"), new byte[] {1});
        assertEquals(417, summarize(wal).count(RecordType.ENTRY));

        Files.copy(wal.resolve("0000000000000000-0000000000000000.wal"),
                wal.resolve("0000000000000002-00000000000001a2.wal"));
        assertThrows(WalCorruptedException.class, () -> WalSegment.list(wal));
    }

    @Test
    void segmentNamesParseOnlyEtcdsFormat() {
        assertEquals(new WalSegment(Path.of("0000000000000001-000000000000dbec.wal"), 1, 0xdbec),
                WalSegment.parse(Path.of("0000000000000001-000000000000dbec.wal")).orElseThrow());
        assertFalse(WalSegment.parse(Path.of("0.tmp")).isPresent());
        assertFalse(WalSegment.parse(Path.of("0000000000000001-000000000000DBEC.wal")).isPresent());
    }

    /** Offsets of every record's length word in a segment. */
    static long[] recordOffsets(Path seg) throws IOException {
        byte[] b = Files.readAllBytes(seg);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<Long> out = new ArrayList<>();
        int off = 0;
        while (off + 8 <= b.length) {
            long w = bb.getLong(off);
            if (w == 0) {
                break;
            }
            out.add((long) off);
            long len = w & 0x00FF_FFFF_FFFF_FFFFL;
            long pad = w < 0 ? (w >>> 56) & 7 : 0;
            off += (int) (8 + len + pad);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static long endOfRecords(Path seg) throws IOException {
        long[] offsets = recordOffsets(seg);
        byte[] b = Files.readAllBytes(seg);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long last = offsets[offsets.length - 1];
        long w = bb.getLong((int) last);
        return last + 8 + (w & 0x00FF_FFFF_FFFF_FFFFL) + (w < 0 ? (w >>> 56) & 7 : 0);
    }
}
