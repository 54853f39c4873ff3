package dev.raftpipe.stages.internal;

import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.stages.ReplaySummary;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSettings;
import dev.raftpipe.store.BatchResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;

/**
 * One replay into one backend. Batches come one at a time (the sink's mapAsync(1)); the monitor only
 * makes {@link #finish} wait for a batch still being written when the stream fails under it. Entries come from RaftLog.resolve, where a HardState precedes the entries it
 * commits: an entry above the commit index seen so far is in the uncommitted tail and is left out.
 */
public final class ReplayRun {
    private final Path file;
    private final BackendSettings settings;
    private Backend backend;
    private long commit;
    private long applied;
    private long skipped;
    private long uncommitted;
    private long firstApplied;
    private long lastApplied;
    private long lastCommitted;
    private long batches;
    private boolean finished;
    private final Map<String, Long> rejected = new TreeMap<>();

    public ReplayRun(Path file, BackendSettings settings) {
        this.file = file;
        this.settings = settings;
    }

    public synchronized void accept(List<WalRecord> records) {
        if (finished) {
            return;
        }
        List<Entry> committed = new ArrayList<>(records.size());
        for (WalRecord r : records) {
            if (r instanceof WalRecord.StateRecord s) {
                commit = Math.max(commit, s.state().commit());
            } else if (r instanceof WalRecord.EntryRecord e) {
                if (e.entry().index() <= commit) {
                    committed.add(e.entry());
                    lastCommitted = e.entry().index();
                } else {
                    uncommitted++;
                }
            }
        }
        Backend b = backend();
        if (committed.isEmpty()) {
            return;
        }
        BatchResult result = b.apply(committed);
        batches++;
        applied += result.applied();
        skipped += result.skipped();
        if (result.applied() > 0) {
            firstApplied = firstApplied == 0 ? result.firstApplied() : firstApplied;
            lastApplied = result.lastApplied();
        }
        result.rejected().forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
    }

    /** Closes the backend; rethrows the stream's failure, else reports. */
    public synchronized ReplaySummary finish(Throwable failure) {
        finished = true;
        try {
            Backend b = failure == null ? backend() : backend;
            ReplaySummary summary = b == null ? null : new ReplaySummary(file, applied, skipped, uncommitted,
                    firstApplied, lastApplied, lastCommitted, batches, rejected, b.meta());
            if (b != null) {
                b.close();
            }
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return summary;
        } finally {
            backend = null;
        }
    }

    private Backend backend() {
        if (backend == null) {
            backend = Backend.open(file, settings);
        }
        return backend;
    }
}
