package dev.raftpipe.stages;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RaftLogTest extends StreamTestSupport {
    @EtcdFixture("partition")
    static Path partition;

    record Resolved(List<WalRecord> records, RaftLogSummary summary) {
        List<Entry> entries() {
            return records.stream().filter(r -> r instanceof WalRecord.EntryRecord)
                    .map(r -> ((WalRecord.EntryRecord) r).entry()).toList();
        }
    }

    static Resolved resolve(Path walDir) throws Exception {
        Pair<CompletionStage<RaftLogSummary>, CompletionStage<List<WalRecord>>> run =
                WalSource.fromDirectory(walDir, WalSourceSettings.create())
                        .viaMat(RaftLog.resolve(), Keep.right())
                        .toMat(Sink.seq(), Keep.both()).run(system);
        return new Resolved(await(run.second()), await(run.first()));
    }

    @Test
    void theCutOffLeadersUncommittedEntriesAreSupersededByTheNewLeader() throws Exception {
        Resolved n2 = resolve(EtcdFixtures.walDir(partition, "n2"));
        assertEquals(8, n2.summary().overwritten());
        assertEquals(93, n2.summary().entries());
        assertEquals(93, n2.summary().lastIndex());
        assertEquals(4, n2.summary().lastTerm());

        // All three members resolve to the same log: the old leader's lost proposals left no trace.
        Resolved n1 = resolve(EtcdFixtures.walDir(partition, "n1"));
        Resolved n3 = resolve(EtcdFixtures.walDir(partition, "n3"));
        assertEquals(0, n1.summary().overwritten());
        assertEquals(n1.entries(), n2.entries());
        assertEquals(n1.entries(), n3.entries());
        for (int i = 0; i < n2.entries().size(); i++) {
            assertEquals(i + 1, n2.entries().get(i).index());
        }
    }

    @Test
    void everyEntryFollowsAStateThatCommitsItOrComesAfterTheLastState() throws Exception {
        Resolved n2 = resolve(EtcdFixtures.walDir(partition, "n2"));
        long commit = 0;
        boolean sawUncommitted = false;
        for (WalRecord r : n2.records()) {
            if (r instanceof WalRecord.StateRecord s) {
                assertTrue(!sawUncommitted, "a state after the uncommitted tail");
                commit = Math.max(commit, s.state().commit());
            } else if (r instanceof WalRecord.EntryRecord e && e.entry().index() > commit) {
                sawUncommitted = true;
            }
        }
        assertEquals(n2.summary().hardState().commit(), commit);
        assertEquals(93 - commit, n2.summary().uncommitted());
    }
}
