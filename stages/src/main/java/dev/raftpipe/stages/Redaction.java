package dev.raftpipe.stages;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.redact.EntryRedactor;
import dev.raftpipe.codecs.redact.RedactedEntry;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.raft.WalSnapshot;
import org.apache.pekko.stream.javadsl.Flow;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * Rewrites the entries of a resolved log by a {@link RedactionPolicy}, never dropping one: a removed
 * entry becomes a no-op with the same index and term. Other records pass through. Materializes what was
 * rewritten once the stream completes.
 */
public final class Redaction {
    private Redaction() {
    }

    public static Flow<WalRecord, WalRecord, CompletionStage<RedactionSummary>> flow(RedactionPolicy policy) {
        return flow(policy, OptionalLong.empty());
    }

    /**
     * With the membership replaced by one member, as a backup of a purged cluster's db and .snap has it: the
     * snapshot records that carry a ConfState (etcd 3.5's) name that member only, so the WAL agrees with the .snap.
     */
    public static Flow<WalRecord, WalRecord, CompletionStage<RedactionSummary>> flow(RedactionPolicy policy,
                                                                                     OptionalLong soleMember) {
        return SummarizingFlow.of(() -> new Counter(new EntryRedactor(policy), soleMember), Counter::rewrite,
                counter -> counter.summary);
    }

    private static final class Counter {
        private final EntryRedactor redactor;
        private final OptionalLong soleMember;
        private RedactionSummary summary = RedactionSummary.ZERO;

        Counter(EntryRedactor redactor, OptionalLong soleMember) {
            this.redactor = redactor;
            this.soleMember = soleMember;
        }

        WalRecord rewrite(WalRecord record) {
            if (record instanceof WalRecord.SnapshotRecord s && soleMember.isPresent()
                    && s.snapshot().confState().isPresent()) {
                return new WalRecord.SnapshotRecord(new WalSnapshot(s.snapshot().index(), s.snapshot().term(),
                        Optional.of(ConfState.of(List.of(soleMember.getAsLong()), List.of()))));
            }
            if (!(record instanceof WalRecord.EntryRecord e)) {
                return record;
            }
            RedactedEntry r;
            try {
                r = redactor.redact(e.entry());
            } catch (MalformedMessageException bad) {
                throw new VerificationException("entry " + e.entry().index() + " cannot be redacted: " + bad.getMessage());
            }
            RedactionSummary s = summary;
            summary = new RedactionSummary(s.entries() + 1,
                    s.dropped() + (r.change() == RedactedEntry.Change.DROPPED ? 1 : 0),
                    s.droppedTxns() + (r.change() == RedactedEntry.Change.DROPPED_TXN ? 1 : 0),
                    s.otherKeysInDroppedTxns() + r.otherKeys(),
                    s.maskedEntries() + (r.change() == RedactedEntry.Change.MASKED ? 1 : 0),
                    s.maskedValues() + r.maskedValues(),
                    s.membershipStripped() + (r.change() == RedactedEntry.Change.MEMBERSHIP_STRIPPED ? 1 : 0));
            return r.change() == RedactedEntry.Change.UNCHANGED ? record : new WalRecord.EntryRecord(r.entry());
        }
    }
}
