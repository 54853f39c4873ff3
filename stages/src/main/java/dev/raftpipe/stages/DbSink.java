package dev.raftpipe.stages;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.EtcdDbWriter;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Writes live state records (meta, members, leases, keys) as an etcd db, or an {@code etcdctl snapshot save}
 * file with its SHA-256 trailer, that etcd's tools and a real etcd open. Records are collected in bounded
 * sorts (bucket order needs the key bucket by revision); the file is written when the stream completes, under
 * a temporary name, read back, and renamed onto {@code out}. A failed stream leaves nothing there.
 */
public final class DbSink {
    private static final int RECORDS_PER_BATCH = 512;

    private DbSink() {
    }

    public static Sink<StateRecord, CompletionStage<EtcdDbFile.Published>> toFile(Path out, DbSinkSettings settings) {
        return BatchWorker.sink(Flow.<StateRecord>create().grouped(RECORDS_PER_BATCH),
                blocking -> new Run(out, settings));
    }

    private static final class Run implements BatchWorker<StateRecord, EtcdDbFile.Published> {
        private final Path out;
        private final DbSinkSettings settings;
        private final EtcdDbWriter writer;

        Run(Path out, DbSinkSettings settings) {
            this.out = out;
            this.settings = settings;
            this.writer = EtcdDbWriter.begin(settings.etcdVersion(), settings.readOptions())
                    .withRevisionBump(settings.revisionBump());
        }

        @Override
        public synchronized void accept(List<StateRecord> records) {
            try {
                for (StateRecord r : records) {
                    writer.accept(r);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized EtcdDbFile.Published finish(Throwable failure) {
            try (writer) {
                if (failure != null) {
                    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                }
                return EtcdDbFile.publish(out, writer, settings.snapshotTrailer());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
