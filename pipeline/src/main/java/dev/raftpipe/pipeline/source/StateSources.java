package dev.raftpipe.pipeline.source;

import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.StateStreams;
import dev.raftpipe.pipeline.archive.WalArchiveRestore;
import dev.raftpipe.pipeline.job.TailReplay;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.SnapshotArchive;
import dev.raftpipe.stages.StateSource;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Any local source of state, opened as the live state records etcd would serve from it and streamed into a sink:
 * an archive verified as it is read, a backend, an etcd db or snapshot file, or a data dir or WAL archive replayed
 * first (as etcd starts from it: its db, then its WAL) into a scratch backend that is removed afterwards.
 */
public final class StateSources {
    private StateSources() {
    }

    /** What reading needs: the sealer that opens a sealed archive, the trailer check of an etcd snapshot file. */
    public record Reading(Optional<Sealer> opening, SnapshotTrailer.Check trailer) {
        public static final Reading DEFAULTS = new Reading(Optional.empty(), SnapshotTrailer.Check.AUTO);
    }

    /**
     * @param scratchBeside where a replayed source's scratch backend goes: beside the output, on its file system
     * @param sink          publishes only when its stream completes, so one read of an archive is enough
     */
    public static <T> CompletionStage<T> stream(Path source, SourceKind kind, Reading reading, Path scratchBeside,
                                                Sink<StateRecord, CompletionStage<T>> sink, boolean progress,
                                                ActorSystem system) throws IOException {
        return switch (kind) {
            case ARCHIVE -> StateStreams.stream(SnapshotArchive.source(source, ArchiveSettings.create(system.settings()
                    .config()).withSealer(reading.opening()).withVerifyFirst(false)), source, sink, progress, system);
            case BACKEND -> StateStreams.stream(StateSource.fromBackend(source), source, sink, progress, system);
            case ETCD_DB -> StateStreams.fromEtcdDb(source, reading.trailer(), sink, progress, system);
            case DATA_DIR -> {
                Path scratch = ScratchBackend.beside(scratchBeside);
                yield ScratchBackend.removedAfter(scratch, DataDirReplay.run(source, scratch, progress, system)
                        .thenCompose(replayed -> StateStreams.stream(StateSource.fromBackend(scratch), source, sink,
                                progress, system)));
            }
            case WAL_ARCHIVE -> {
                Path scratch = ScratchBackend.beside(scratchBeside);
                yield ScratchBackend.removedAfter(scratch, WalArchiveRestore.toBackend(source, scratch, TailReplay.WHOLE,
                                reading.opening(), progress, system)
                        .thenCompose(replayed -> StateStreams.stream(StateSource.fromBackend(scratch), source, sink,
                                progress, system)));
            }
        };
    }
}
