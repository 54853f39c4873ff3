package dev.raftpipe.stages;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;
import dev.raftpipe.codecs.wal.WalRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The raft truncation rule as a plain state machine, fed one WAL record at a time. Records wait in
 * {@code held} from the first entry above the known commit index on: raft never truncates a
 * committed entry, so anything at or below the commit index is final and can go out at once.
 */
final class LogResolution {
    private final long maxHeldBytes;
    private final ArrayDeque<WalRecord> ready = new ArrayDeque<>();
    private final ArrayDeque<WalRecord> held = new ArrayDeque<>();
    private final List<WalSnapshot> snapshots = new ArrayList<>();

    private long heldBytes;
    private long commit;
    private HardState hardState = HardState.EMPTY;
    private boolean anyEntry;
    private long firstIndex;
    private long lastIndex;
    private long lastTerm;
    private long overwritten;
    private long uncommitted;
    private WalSnapshot lastSnapshot;
    private long snapshotIndex;
    /** The last entry that went out (released as committed): the term the next one may not go below. */
    private long releasedIndex;
    private long releasedTerm;

    public LogResolution(long maxHeldBytes) {
        this.maxHeldBytes = maxHeldBytes;
    }

    public void accept(WalRecord record) {
        if (record instanceof WalRecord.EntryRecord e) {
            acceptEntry(e);
        } else if (record instanceof WalRecord.StateRecord s) {
            hardState = s.state();
            commit = Math.max(commit, s.state().commit());
            // A state goes out ahead of the entries it commits, so downstream knows they are final.
            ready.add(record);
            release();
        } else if (record instanceof WalRecord.SnapshotRecord s) {
            snapshots.add(s.snapshot());
            lastSnapshot = s.snapshot();
            // etcd snapshots applied, hence committed, state: nothing at or below it may be replaced
            snapshotIndex = Math.max(snapshotIndex, s.snapshot().index());
            enqueue(record);
        } else if (record instanceof WalRecord.MetadataRecord) {
            enqueue(record);
        }
        // crc records frame the byte stream only; the resolved log has no use for them.
    }

    /** End of input: whatever is still held is the uncommitted tail, and goes out last. */
    public void finish() {
        for (WalRecord r : held) {
            if (r instanceof WalRecord.EntryRecord) {
                uncommitted++;
            }
        }
        ready.addAll(held);
        held.clear();
        heldBytes = 0;
    }

    public boolean hasReady() {
        return !ready.isEmpty();
    }

    public WalRecord poll() {
        return ready.poll();
    }

    public RaftLogSummary summary() {
        long entries = anyEntry ? lastIndex - firstIndex + 1 : 0;
        return new RaftLogSummary(entries, firstIndex, lastIndex, lastTerm, overwritten, uncommitted,
                hardState, snapshots);
    }

    private void acceptEntry(WalRecord.EntryRecord record) {
        Entry e = record.entry();
        if (e.term() < 0 || e.index() < 0) {
            throw new RaftLogException("entry " + Long.toUnsignedString(e.index()) + " has the impossible term "
                    + Long.toUnsignedString(e.term()) + ": a corrupt record (terms and indexes stay below 2^63)");
        }
        if (!anyEntry) {
            anyEntry = true;
            firstIndex = e.index();
        } else if (e.index() > lastIndex + 1) {
            String why = lastSnapshot != null && lastSnapshot.index() >= lastIndex
                    ? " (a raft snapshot at index " + lastSnapshot.index() + " was installed; entries before "
                    + "it are only in the snapshot)"
                    : "";
            throw new RaftLogException("entries missing: index " + e.index() + " follows " + lastIndex + why);
        } else if (e.index() <= lastIndex) {
            truncateFrom(e);
        }
        // an append follows the last entry; only an overwrite needs to look the previous one up
        long previousTerm = e.index() == lastIndex + 1 ? lastTerm : termBefore(e.index());
        if (e.term() < previousTerm) {
            throw new RaftLogException("entry " + e.index() + " has term " + e.term() + ", below the term "
                    + previousTerm + " of the entry before it: raft terms never decrease along the log");
        }
        lastIndex = e.index();
        lastTerm = e.term();
        if (held.isEmpty() && e.index() <= commit) {
            ready.add(record);
            released(e);
        } else {
            held.add(record);
            heldBytes += e.data().length;
            if (heldBytes > maxHeldBytes) {
                throw new RaftLogException("uncommitted tail above index " + commit + " holds more than "
                        + maxHeldBytes + " bytes (raftpipe.raft-log.max-uncommitted-bytes)");
            }
        }
    }

    /** The term of the entry just below {@code index} in the log as it stands (after a truncation), 0 if none. */
    private long termBefore(long index) {
        long term = index - 1 == releasedIndex ? releasedTerm : 0;
        for (WalRecord r : held) {
            if (r instanceof WalRecord.EntryRecord h && h.entry().index() == index - 1) {
                term = h.entry().term();
            }
        }
        return term;
    }

    /** Drops the held entries at and above {@code e}'s index: a later leader replaced them. */
    private void truncateFrom(Entry e) {
        long committed = Math.max(commit, snapshotIndex);
        if (e.index() <= committed || e.index() < firstIndex) {
            throw new RaftLogException("entry " + e.index() + " (term " + e.term() + ") would replace a committed "
                    + "entry (commit index " + committed + "): the WAL contradicts raft");
        }
        for (Iterator<WalRecord> it = held.iterator(); it.hasNext(); ) {
            if (it.next() instanceof WalRecord.EntryRecord old && old.entry().index() >= e.index()) {
                heldBytes -= old.entry().data().length;
                overwritten++;
                it.remove();
            }
        }
    }

    private void enqueue(WalRecord record) {
        if (held.isEmpty()) {
            ready.add(record);
        } else {
            held.add(record);
        }
    }

    private void release() {
        while (!held.isEmpty()) {
            WalRecord head = held.peek();
            if (head instanceof WalRecord.EntryRecord e) {
                if (e.entry().index() > commit) {
                    return;
                }
                heldBytes -= e.entry().data().length;
                released(e.entry());
            }
            ready.add(held.poll());
        }
    }

    private void released(Entry e) {
        releasedIndex = e.index();
        releasedTerm = e.term();
    }
}
