package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * Applies a resolved log ({@link RaftLog#resolve()}'s output) to a SQLite backend, creating it if
 * missing. Only committed entries are applied, and only those above the backend's consistent_index
 * (the applied_index guard), so replaying a WAL twice or after a crash changes nothing. Entries are
 * applied in batches, one SQLite transaction each, on the blocking dispatcher; while a batch is
 * written the next one fills up to its limits and then backpressures the source.
 */
public final class BackendReplaySink {
    private static final long ENTRY_OVERHEAD = 64;

    private BackendReplaySink() {
    }

    public static Sink<WalRecord, CompletionStage<ReplaySummary>> to(Path backend, BackendReplaySettings settings) {
        return BatchWorker.sink(Flow.<WalRecord>create()
                        // metadata names the WAL's cluster, which the backend checks against its own; snapshot
                        // records name the indexes whose revision the summary reports
                        .filter(r -> r instanceof WalRecord.EntryRecord || r instanceof WalRecord.StateRecord
                                || r instanceof WalRecord.MetadataRecord || r instanceof WalRecord.SnapshotRecord)
                        .groupedWeightedWithin(settings.batchBytes(), settings.batchEntries(),
                                BackendReplaySink::weight, settings.batchInterval()),
                blocking -> new ReplayRun(backend, settings.backendSettings(), settings.allowOtherCluster(),
                        settings.maxRevision(), blocking));
    }

    private static long weight(WalRecord r) {
        return r instanceof WalRecord.EntryRecord e ? e.entry().data().length + ENTRY_OVERHEAD : 0;
    }
}
