package dev.raftpipe.pipeline;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.stages.DbSource;
import dev.raftpipe.stages.DbSourceSettings;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * Live state streamed into a sink with the progress line: the shared last step of export, restore, seal and replay
 * of an etcd db. A source that fails reports its own failure rather than the sink's cancellation.
 */
public final class StateStreams {
    private StateStreams() {
    }

    /** An etcd db or {@code etcdctl snapshot save} file's live state, its trailer checked as {@code check} says. */
    public static <T> CompletionStage<T> fromEtcdDb(Path db, SnapshotTrailer.Check check,
                                                    Sink<StateRecord, CompletionStage<T>> sink, boolean progress,
                                                    ActorSystem system) {
        return stream(DbSource.state(db, DbSourceSettings.create(system.settings().config()).withTrailerCheck(check)),
                db, sink, progress, system);
    }

    public static <M, T> CompletionStage<T> stream(Source<StateRecord, M> records, Path source,
                                                   Sink<StateRecord, CompletionStage<T>> sink, boolean progress,
                                                   ActorSystem system) {
        Pair<M, CompletionStage<T>> m = records
                .via(Progress.ofState("reading " + source, progress))
                .toMat(sink, Keep.both())
                .run(system);
        return m.first() instanceof CompletionStage<?> read ? Streams.sourceThenSink(read, m.second())
                .thenCompose(r -> m.second()) : m.second();
    }
}
