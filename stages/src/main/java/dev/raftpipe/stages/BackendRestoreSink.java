package dev.raftpipe.stages;

import dev.raftpipe.codecs.archive.ArchiveVerificationException;
import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.store.BackendMeta;
import dev.raftpipe.store.BackendRestore;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Builds a backend from state records in {@code <backend>.tmp-<random>} and renames it into place when
 * the stream completes; a failed stream (an archive that does not verify) leaves the old backend as it
 * was. An existing backend is replaced only with {@code force} (one that has applied more than the records hold
 * fails as a step back in time, any other as an existing file).
 */
public final class BackendRestoreSink {
    private static final int RECORDS_PER_WRITE = 512;

    private BackendRestoreSink() {
    }

    /** @deprecated a bare flag says little at the call site: use {@link #to(Path, RestoreOptions)} */
    @Deprecated
    public static Sink<StateRecord, CompletionStage<RestoreSummary>> to(Path backend, boolean force) {
        return to(backend, RestoreOptions.defaults().withForce(force));
    }

    /** With the store's restore options: {@code force}, and the membership index of a db seeded from a data dir. */
    public static Sink<StateRecord, CompletionStage<RestoreSummary>> to(Path backend, RestoreOptions options) {
        return BatchWorker.sink(Flow.<StateRecord>create().grouped(RECORDS_PER_WRITE),
                blocking -> new Run(backend, options));
    }

    /** One restore; batches arrive one at a time, the monitor only orders finish after a running batch. */
    private static final class Run implements BatchWorker<StateRecord, RestoreSummary> {
        private final Path backend;
        private final RestoreOptions options;
        private BackendRestore restore;
        private StateCounts counts = StateCounts.ZERO;
        private boolean finished;

        Run(Path backend, RestoreOptions options) {
            this.backend = backend;
            this.options = options;
        }

        @Override
        public synchronized void accept(List<StateRecord> records) {
            if (finished) {
                return;
            }
            if (restore == null) {
                restore = BackendRestore.begin(backend, options);
            }
            for (StateRecord r : records) {
                restore.accept(r);
                counts = counts.plus(r);
            }
        }

        @Override
        public synchronized RestoreSummary finish(Throwable failure) {
            finished = true;
            try {
                if (failure != null) {
                    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                }
                if (restore == null) {
                    throw new ArchiveVerificationException("nothing to restore: no records");
                }
                BackendMeta meta = restore.commit();
                return new RestoreSummary(backend, meta, counts);
            } finally {
                if (restore != null) {
                    restore.close();
                }
            }
        }
    }
}
