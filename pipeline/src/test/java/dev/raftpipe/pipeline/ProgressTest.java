package dev.raftpipe.pipeline;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.pipeline.spi.Payload;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aKnownSizeGivesTheShareDoneAndAnEta() {
        // 100 entries of 60 bytes count 100 bytes of WAL each: half of 20 000 after 10 s, so 10 s to go
        Progress.Meter meter = new Progress.Meter("replaying wal", Payload.WAL_RECORDS, OptionalLong.of(20_000),
                new PrintStream(new ByteArrayOutputStream()), 0);
        for (int i = 1; i <= 100; i++) {
            meter.add(entry(i, 60));
        }
        String line = meter.line(10 * SECOND, false);
        assertTrue(line.contains("100 entries"), line);
        assertTrue(line.contains("10 entries/s"), line);
        assertTrue(line.endsWith("50%, ETA 0:10   "), line);
    }

    @Test
    void entriesTheBackendHasAppliedAreLeftOutOfTheWorkAndItsClock() {
        // 100 entries skipped in 2 s (10 000 of 20 000 bytes), then 50 applied in 10 s: half of what is left to apply
        long[] now = {0};
        Progress.Meter meter = new Progress.Meter("replaying wal", Payload.WAL_RECORDS, OptionalLong.of(20_000),
                new PrintStream(new ByteArrayOutputStream()), 0, 100, () -> now[0]);
        for (int i = 1; i <= 100; i++) {
            meter.add(entry(i, 60));
        }
        now[0] = 2 * SECOND;
        for (int i = 101; i <= 150; i++) {
            meter.add(entry(i, 60));
        }
        String line = meter.line(12 * SECOND, false);
        assertTrue(line.contains("50 entries") && line.contains("5 entries/s"), line);
        assertTrue(line.endsWith("100 already applied, 50%, ETA 0:10   "), line);
    }

    @Test
    void aTransferCountsItsBytesAgainstTheObjectsSize() {
        // 5 MB of a 20 MB download after 2 s: a quarter, 6 s to go
        Progress.Meter meter = new Progress.Meter("downloading s3://b/k", null, OptionalLong.of(20_000_000),
                new PrintStream(new ByteArrayOutputStream()), 0);
        for (int i = 0; i < 50; i++) {
            meter.addBytes(100_000);
        }
        String line = meter.line(2 * SECOND, false);
        assertTrue(line.startsWith("\rdownloading s3://b/k: 5.0 MB, 2.5 MB/s"), line);
        assertTrue(line.endsWith("25%, ETA 0:06   "), line);
    }

    @Test
    void keyRevisionsCountTheirBytesInTheDbForAnEta() {
        // 50 revisions of 52 bytes of key and value count 100 bytes of db each: a quarter of 20 000 after 5 s
        Progress.Meter meter = new Progress.Meter("reading db", Payload.KEY_REVISIONS, OptionalLong.of(20_000),
                new PrintStream(new ByteArrayOutputStream()), 0);
        for (int i = 1; i <= 50; i++) {
            meter.add(new dev.raftpipe.codecs.state.KeyRevision(new dev.raftpipe.codecs.state.Revision(i, 0), false,
                    new dev.raftpipe.codecs.state.StateRecord.KeyValue(new byte[12], new byte[40], i, i, 1, 0)));
        }
        String line = meter.line(5 * SECOND, false);
        assertTrue(line.contains("50 revisions") && line.contains("10 revisions/s"), line);
        assertTrue(line.endsWith("25%, ETA 0:15   "), line);
    }

    @Test
    void anUnknownSizeGivesNoEtaAndTheLastLineSaysDone() {
        Progress.Meter meter = new Progress.Meter("sealing", Payload.STATE_RECORDS, OptionalLong.empty(),
                new PrintStream(new ByteArrayOutputStream()), 0);
        for (int i = 0; i < 30; i++) {
            meter.add(new dev.raftpipe.codecs.state.StateRecord.Lease(i + 1, 60, 60));
        }
        String running = meter.line(3 * SECOND, false);
        assertTrue(running.contains("30 records") && running.contains("10 records/s"), running);
        assertFalse(running.contains("ETA"), running);
        String done = meter.line(3 * SECOND, true);
        assertTrue(done.contains("30 records, ") && done.strip().endsWith(", done") && !done.contains("ETA"),
                "the last line says done, and leaves the duration to the report (one figure, not two): " + done);
    }

    @Test
    void nothingIsDrawnForWorkFinishedWithinASecond() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress.Meter meter = new Progress.Meter("quick", Payload.WAL_RECORDS, OptionalLong.empty(),
                new PrintStream(err), System.nanoTime());
        for (int i = 1; i <= 1000; i++) {
            meter.add(entry(i, 10));
        }
        meter.done();
        assertEquals("", err.toString());
    }

    private static WalRecord entry(long index, int bytes) {
        return new WalRecord.EntryRecord(new Entry(1, index, dev.raftpipe.codecs.raft.EntryType.NORMAL, new byte[bytes]));
    }
}
