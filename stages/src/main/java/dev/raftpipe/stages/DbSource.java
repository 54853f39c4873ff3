package dev.raftpipe.stages;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.DbState;
import dev.raftpipe.codecs.db.EtcdDataDir;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.db.LiveState;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * etcd's backend file ({@code member/snap/db} or an {@code etcdctl snapshot save} file) as a stream, read on
 * the blocking dispatcher with memory bounded by the tree's depth and the sort's budget. The materialized
 * summary says what was read; it fails with the stream's error, e.g. a
 * {@link dev.raftpipe.codecs.bolt.BoltCorruptedException} naming page and offset.
 */
public final class DbSource {
    private DbSource() {
    }

    /** The live state as an archive or a backend holds it: meta, members, leases, then live keys in key order. */
    public static Source<StateRecord, CompletionStage<DbSummary>> state(Path db, DbSourceSettings settings) {
        return from(db, settings, open -> {
            LiveState live = open.track(LiveState.of(open.db, settings.readOptions()));
            open.storedRevisions = live.storedRevisions();
            return DbState.records(open.db, live);
        });
    }

    /**
     * A member's data dir as etcd starts from it: the db's live state with membership from the newest
     * {@code .snap} file (its voters and members), when there is one. The WAL after the db is not read here;
     * the summary's {@code snapIndex} says from where its conf changes still apply to membership.
     */
    public static Source<StateRecord, CompletionStage<DbSummary>> dataDir(EtcdDataDir dir, DbSourceSettings settings) {
        return from(dir.db(), settings, open -> {
            LiveState live = open.track(LiveState.of(open.db, settings.readOptions()));
            open.storedRevisions = live.storedRevisions();
            open.snapIndex = dir.snap().map(s -> OptionalLong.of(s.index())).orElse(OptionalLong.empty());
            return DbState.records(open.db, live, dir.snap());
        });
    }

    /** Every stored revision of the {@code key} bucket in revision order, tombstones included, as stored. */
    public static Source<KeyRevision, CompletionStage<DbSummary>> history(Path db, DbSourceSettings settings) {
        return from(db, settings, DbSource::counted);
    }

    private static Iterator<KeyRevision> counted(Open<KeyRevision> open) {
        Iterator<KeyRevision> revisions = open.db.history().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return revisions.hasNext();
            }

            @Override
            public KeyRevision next() {
                open.storedRevisions++;
                return revisions.next();
            }
        };
    }

    @FunctionalInterface
    private interface Records<T> {
        Iterator<T> open(Open<T> open) throws IOException;
    }

    private static <T> Source<T, CompletionStage<DbSummary>> from(Path path, DbSourceSettings settings, Records<T> records) {
        return Source.fromMaterializer((mat, attributes) -> {
            AtomicReference<Open<T>> current = new AtomicReference<>();
            CompletableFuture<DbSummary> summary = new CompletableFuture<>();
            return Source.<T, Open<T>>unfoldResource(
                            () -> {
                                Open<T> open = Open.of(path, settings, records);
                                current.set(open);
                                return open;
                            },
                            open -> open.next(),
                            Open::close)
                    .withAttributes(ActorAttributes.dispatcher(BlockingIo.dispatcherOf(attributes)))
                    .watchTermination((notUsed, done) -> {
                        done.whenComplete((d, failure) -> {
                            Open<T> open = current.get();
                            if (failure != null) {
                                summary.completeExceptionally(failure);
                            } else if (open != null) {
                                summary.complete(open.summary());
                            }
                        });
                        return summary;
                    });
        }).mapMaterializedValue(nested -> nested.thenCompose(s -> s));
    }

    private static final class Open<T> {
        final EtcdDb db;
        private final Path path;
        private LiveState live;
        private Iterator<T> records;
        long storedRevisions;
        OptionalLong snapIndex = OptionalLong.empty();
        private long emitted;

        private Open(Path path, EtcdDb db) {
            this.path = path;
            this.db = db;
        }

        static <T> Open<T> of(Path path, DbSourceSettings settings, Records<T> records) throws IOException {
            Open<T> open = new Open<>(path, EtcdDb.open(path, settings.trailerCheck()));
            try {
                open.records = records.open(open);
                return open;
            } catch (IOException | RuntimeException e) {
                open.close();
                throw e;
            }
        }

        LiveState track(LiveState live) {
            this.live = live;
            return live;
        }

        Optional<T> next() {
            if (!records.hasNext()) {
                return Optional.empty();
            }
            emitted++;
            return Optional.of(records.next());
        }

        DbSummary summary() {
            return new DbSummary(path, db.bolt().meta(), db.bolt().metaFallback(), db.trailer(), db.meta(),
                    storedRevisions, emitted, snapIndex);
        }

        void close() {
            try {
                if (live != null) {
                    live.close();
                }
                db.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
