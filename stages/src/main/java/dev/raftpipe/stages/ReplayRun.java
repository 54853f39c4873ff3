package dev.raftpipe.stages;

import dev.raftpipe.codecs.io.Durable;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSettings;
import dev.raftpipe.store.BatchResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One replay into one backend. Batches come one at a time (the sink's mapAsync(1)); the monitor only
 * makes {@link #finish} wait for a batch still being written when the stream fails under it. Entries come from RaftLog.resolve, where a HardState precedes the entries it
 * commits: an entry above the commit index seen so far is in the uncommitted tail and is left out.
 */
final class ReplayRun implements BatchWorker<WalRecord, ReplaySummary> {
    private final Path file;
    private final boolean creating;
    private final Path building;
    private final CompletableFuture<Backend> opening;
    private final boolean allowOtherCluster;
    private final long maxRevision;
    private Backend backend;
    private long stoppedBefore;
    private final RecentRevisions recent = new RecentRevisions();
    private final TreeSet<Long> pendingSnapshots = new TreeSet<>();
    private final SortedMap<Long, Long> revisionsAtSnapshots = new TreeMap<>();
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

    /**
     * Starts opening the backend on {@code blocking} at once: loading SQLite and migrating the schema
     * takes a good part of a second, which then overlaps the stream's start instead of delaying it.
     */
    public ReplayRun(Path file, BackendSettings settings, boolean allowOtherCluster, Executor blocking) {
        this(file, settings, allowOtherCluster, Long.MAX_VALUE, blocking);
    }

    /** @param maxRevision point in time by revision: stop before the first entry that would pass it */
    public ReplayRun(Path file, BackendSettings settings, boolean allowOtherCluster, long maxRevision,
                     Executor blocking) {
        this.file = file;
        this.allowOtherCluster = allowOtherCluster;
        this.maxRevision = maxRevision;
        this.creating = !Files.exists(file);
        // a new backend is built under a temporary name and published only when the whole replay succeeded
        this.building = creating ? TempOutput.beside(file) : file;
        // a backend built under a temporary name needs no sync per batch: a crash leaves only the temporary
        // file, which nothing opens; it is synced once, before it is published
        BackendSettings opened = creating ? settings.withSynchronous("OFF") : settings;
        this.opening = CompletableFuture.supplyAsync(() -> Backend.open(building, opened), blocking);
    }


    @Override
    public synchronized void accept(List<WalRecord> records) {
        if (finished || stoppedBefore > 0) {
            return;
        }
        List<Entry> committed = new ArrayList<>(records.size());
        for (WalRecord r : records) {
            if (r instanceof WalRecord.MetadataRecord m) {
                backend().requireCluster(m.metadata().clusterId(), allowOtherCluster);
            } else if (r instanceof WalRecord.StateRecord s) {
                commit = Math.max(commit, s.state().commit());
            } else if (r instanceof WalRecord.SnapshotRecord s && s.snapshot().index() > 0) {
                pendingSnapshots.add(s.snapshot().index());
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
            noteSnapshotRevisions();
            return;
        }
        if (batches == 0 && b.meta().revision() > maxRevision) {
            throw new VerificationException("revision " + maxRevision + " is before the base's revision "
                    + b.meta().revision() + ": the state at it is not here (use an older base)");
        }
        BatchResult result = b.apply(committed, maxRevision);
        stoppedBefore = result.stoppedBefore();
        recent.add(result.firstApplied(), result.revisions());
        batches++;
        applied += result.applied();
        skipped += result.skipped();
        if (result.applied() > 0) {
            firstApplied = firstApplied == 0 ? result.firstApplied() : firstApplied;
            lastApplied = result.lastApplied();
        }
        result.rejected().forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
        noteSnapshotRevisions();
    }

    /** Snapshot records come after their entry, sometimes well after: their revision is looked up when both are in. */
    private void noteSnapshotRevisions() {
        while (!pendingSnapshots.isEmpty() && pendingSnapshots.first() <= lastApplied) {
            long index = pendingSnapshots.pollFirst();
            recent.at(index).ifPresent(rev -> revisionsAtSnapshots.put(index, rev));
        }
    }

    /** Closes the backend; rethrows the stream's failure, else reports. */
    @Override
    public synchronized ReplaySummary finish(Throwable failure) {
        finished = true;
        try {
            Backend b = opened(failure);
            if (failure == null && maxRevision != Long.MAX_VALUE && stoppedBefore == 0 && b != null
                    && b.meta().revision() < maxRevision) {
                failure = new VerificationException("revision " + maxRevision + " is past the last revision "
                        + b.meta().revision() + " this WAL reaches (at index " + b.meta().consistentIndex() + ")");
            }
            ReplaySummary summary = b == null ? null : new ReplaySummary(file, applied, skipped, uncommitted,
                    firstApplied, lastApplied, lastCommitted, batches, rejected, b.meta(), b.clusterId(),
                    revisionsAtSnapshots);
            if (b != null) {
                try {
                    b.close(); // checkpoints: a closed backend is one file, without -wal and -shm
                } catch (RuntimeException closing) {
                    // after a failure (a full disk…) closing fails too: the first failure is the one to report
                    if (failure == null) {
                        failure = closing;
                    } else {
                        failure.addSuppressed(closing);
                    }
                }
            }
            if (failure != null && creating) {
                deleteCreatedBackend(failure);
            }
            if (failure != null && !creating && applied > 0) {
                failure = advancedBy(failure, summary);
            }
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            if (creating) {
                publish();
            }
            return summary;
        } finally {
            backend = null;
        }
    }

    /**
     * An existing backend keeps the valid entries applied before the failure (the guard makes the run after a repair
     * finish the job); the one line says how far it got, in the failure's own kind (so its exit code stays).
     */
    private Throwable advancedBy(Throwable failure, ReplaySummary summary) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (summary == null) {
            return failure;
        }
        long reached = summary.meta().consistentIndex();
        if (cause instanceof VerificationException) {
            return new BackendAdvancedException(file, reached, applied, cause);
        }
        if (cause instanceof IOException || cause instanceof UncheckedIOException) {
            return new UncheckedIOException(new IOException(
                    BackendAdvancedException.message(file, reached, applied, cause), cause));
        }
        return cause;
    }

    private Backend backend() {
        if (backend == null) {
            backend = Futures.join(opening);
        }
        return backend;
    }

    /** A failed replay into a new backend leaves nothing: not a half-applied file at the published path. */
    private void deleteCreatedBackend(Throwable failure) {
        try {
            Backend.delete(building);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private void publish() {
        try {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null,
                        "appeared while the replay built a new backend");
            }
            Durable.force(building);
            Files.move(building, file, StandardCopyOption.ATOMIC_MOVE);
            Durable.forceDirectoryOf(file);
        } catch (IOException e) {
            deleteCreatedBackend(e);
            throw new UncheckedIOException(e);
        }
    }

    /** The backend to close at the end; after a failure, only if opening it succeeded. */
    private Backend opened(Throwable failure) {
        if (failure == null) {
            return backend();
        }
        try {
            return backend();
        } catch (RuntimeException openFailed) {
            failure.addSuppressed(openFailed);
            return null;
        }
    }
}
