package dev.raftpipe.stages;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;
import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A resolved log cut right after an index: entries, hard states and snapshot records as a replay then sees them. */
class PointInTimeTest extends StreamTestSupport {
    /** Entries 1..6 at term 2, hard states committing 3 then 6, a snapshot record at 5 and one at 2. */
    static List<WalRecord> log() {
        List<WalRecord> out = new ArrayList<>();
        out.add(new WalRecord.SnapshotRecord(WalSnapshot.of(2, 2)));
        out.add(new WalRecord.StateRecord(new HardState(2, 9, 3)));
        for (long i = 1; i <= 3; i++) {
            out.add(new WalRecord.EntryRecord(Entry.noop(2, i)));
        }
        out.add(new WalRecord.StateRecord(new HardState(2, 9, 6)));
        for (long i = 4; i <= 6; i++) {
            out.add(new WalRecord.EntryRecord(Entry.noop(2, i)));
        }
        out.add(new WalRecord.SnapshotRecord(WalSnapshot.of(5, 2)));
        return out;
    }

    static Pair<CompletionStage<PointInTimeSummary>, CompletionStage<List<WalRecord>>> cut(long index) {
        return Source.from(log()).viaMat(PointInTime.upToIndex(index), Keep.right())
                .toMat(Sink.seq(), Keep.both()).run(system);
    }

    @Test
    void entriesAboveTheIndexGoAndEveryCommitIsCappedAtIt() throws Exception {
        var m = cut(4);
        List<WalRecord> out = await(m.second());
        List<Long> entries = out.stream().filter(r -> r instanceof WalRecord.EntryRecord)
                .map(r -> ((WalRecord.EntryRecord) r).entry().index()).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), entries);
        List<Long> commits = out.stream().filter(r -> r instanceof WalRecord.StateRecord)
                .map(r -> ((WalRecord.StateRecord) r).state().commit()).toList();
        assertEquals(List.of(3L, 4L), commits);
        assertTrue(out.stream().noneMatch(r -> r instanceof WalRecord.SnapshotRecord s && s.snapshot().index() > 4),
                "the snapshot record at 5 is past the cut");
        assertEquals(new PointInTimeSummary(4, 2, 6, 2), await(m.first()));
    }

    @Test
    void anIndexNeverCommittedFailsWhenTheLogEnds() throws Exception {
        Throwable failure = failureOf(cut(7).second());
        assertInstanceOf(VerificationException.class, failure);
        assertTrue(failure.getMessage().contains("1..6"), failure.getMessage());
    }
}
