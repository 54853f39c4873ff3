package dev.raftpipe.stages;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogResolutionTest {

    static WalRecord entry(long term, long index) {
        return new WalRecord.EntryRecord(new Entry(term, index, EntryType.NORMAL, new byte[] {(byte) term, 1}));
    }

    static WalRecord state(long term, long commit) {
        return new WalRecord.StateRecord(new HardState(term, 1, commit));
    }

    static List<WalRecord> drain(LogResolution r) {
        List<WalRecord> out = new ArrayList<>();
        while (r.hasReady()) {
            out.add(r.poll());
        }
        return out;
    }

    @Test
    void uncommittedEntriesWaitUntilAStateCommitsThem() {
        LogResolution r = new LogResolution(1 << 20);
        r.accept(entry(1, 1));
        r.accept(entry(1, 2));
        assertFalse(r.hasReady());
        r.accept(state(1, 1));
        assertEquals(List.of(state(1, 1), entry(1, 1)), drain(r));
        r.finish();
        assertEquals(List.of(entry(1, 2)), drain(r));
        assertEquals(1, r.summary().uncommitted());
    }

    @Test
    void aLaterTermReplacesTheUncommittedTailNeverTheOtherWayRound() {
        LogResolution r = new LogResolution(1 << 20);
        r.accept(entry(1, 1));
        r.accept(state(1, 1));
        r.accept(entry(1, 2));
        r.accept(entry(1, 3));
        r.accept(entry(1, 4));
        r.accept(entry(2, 2));
        r.accept(entry(2, 3));
        r.accept(state(2, 3));
        r.finish();
        List<WalRecord> out = drain(r);
        assertEquals(List.of(state(1, 1), entry(1, 1), state(2, 3), entry(2, 2), entry(2, 3)), out);
        assertEquals(3, r.summary().overwritten());
        assertEquals(3, r.summary().lastIndex());
        assertEquals(2, r.summary().lastTerm());
    }

    @Test
    void aLowerTermMayOverwriteAnUncommittedIndexButTermsNeverDecreaseAlongTheLog() {
        LogResolution r = new LogResolution(1 << 20);
        r.accept(entry(2, 1));
        r.accept(state(2, 1));
        r.accept(entry(4, 2)); // uncommitted, then replaced by an entry of term 3 (raft's Figure 8)
        r.accept(entry(3, 2));
        r.accept(entry(3, 3));
        RaftLogException below = assertThrows(RaftLogException.class, () -> r.accept(entry(2, 4)));
        assertTrue(below.getMessage().contains("below the term 3 of the entry before it"), below.getMessage());
        LogResolution overwrite = new LogResolution(1 << 20);
        overwrite.accept(entry(3, 1));
        overwrite.accept(state(3, 1));
        overwrite.accept(entry(3, 2));
        RaftLogException behind = assertThrows(RaftLogException.class, () -> overwrite.accept(entry(2, 2)));
        assertTrue(behind.getMessage().contains("below the term 3"), behind.getMessage());
    }

    @Test
    void nothingAtOrBelowASnapshotRecordIsReplacedAndAnImpossibleTermIsCorruption() {
        LogResolution r = new LogResolution(1 << 20);
        r.accept(entry(1, 1));
        r.accept(entry(1, 2));
        r.accept(new WalRecord.SnapshotRecord(new dev.raftpipe.codecs.raft.WalSnapshot(2, 1, java.util.Optional.empty())));
        RaftLogException e = assertThrows(RaftLogException.class, () -> r.accept(entry(2, 2)));
        assertTrue(e.getMessage().contains("would replace a committed entry (commit index 2)"), e.getMessage());
        LogResolution negative = new LogResolution(1 << 20);
        assertThrows(RaftLogException.class, () -> negative.accept(entry(-5, 1)));
    }

    @Test
    void aGapIsAnError() {
        LogResolution r = new LogResolution(1 << 20);
        r.accept(entry(1, 1));
        RaftLogException e = assertThrows(RaftLogException.class, () -> r.accept(entry(1, 3)));
        assertTrue(e.getMessage().contains("index 3 follows 1"), e.getMessage());
    }

    @Test
    void rewritingACommittedEntryIsAnError() {
        LogResolution r = new LogResolution(1 << 20);
        r.accept(entry(1, 1));
        r.accept(entry(1, 2));
        r.accept(state(1, 2));
        assertThrows(RaftLogException.class, () -> r.accept(entry(2, 2)));
    }

    @Test
    void anUncommittedTailLargerThanTheLimitIsRefused() {
        LogResolution r = new LogResolution(5);
        r.accept(entry(1, 1));
        r.accept(entry(1, 2));
        assertThrows(RaftLogException.class, () -> r.accept(entry(1, 3)));
    }

    @Test
    void aLogMayStartAfterPurgedSegments() {
        LogResolution r = new LogResolution(1 << 20);
        r.accept(entry(3, 500));
        r.accept(entry(3, 501));
        r.accept(state(3, 501));
        r.finish();
        drain(r);
        assertEquals(500, r.summary().firstIndex());
        assertEquals(2, r.summary().entries());
    }
}
