package dev.raftpipe.pipeline.archive;

import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.WalArchiveMeta;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.pipeline.job.ReplayJob;
import dev.raftpipe.pipeline.job.TailReplay;
import dev.raftpipe.stages.BlockingIo;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Restores a WAL archive: extracted and verified into a scratch directory beside the target, then replayed as etcd
 * would start from it (its db first when it holds one, then its WAL), up to a point in time if asked; the scratch
 * directory is removed either way.
 */
public final class WalArchiveRestore {
    private WalArchiveRestore() {
    }

    /** @param replay the WAL's replay (after the db's seed, for an archive that holds one) */
    public record Report(Path archive, WalArchiveMeta meta, ReplayJob.Report replay, Duration duration) {
    }

    public static CompletionStage<Report> toBackend(Path archive, Path backend, TailReplay tail, Optional<Sealer> sealer,
                                                    boolean progress, ActorSystem system) throws IOException {
        if (tail.stop().isSet() && Files.exists(backend)) {
            throw new FileAlreadyExistsException(backend.toString(), null, "a point-in-time restore builds a new backend");
        }
        long start = System.nanoTime();
        return withExtracted(archive, backend, sealer, system, (extracted, meta) -> {
            Path member = MemberDir.of(extracted).path();
            CompletionStage<ReplayJob.Report> replayed = Files.isRegularFile(member.resolve("snap/db"))
                    ? Streams.<DataDirReplay.Report>starting(() -> DataDirReplay.run(extracted, backend, tail, progress,
                            system)).thenApply(DataDirReplay.Report::tail)
                    : ReplayJob.run(member.resolve("wal"), backend, tail, progress, system);
            return replayed.thenApply(r -> new Report(archive, meta, r, Duration.ofNanos(System.nanoTime() - start)));
        });
    }

    /** The WAL of a WAL archive, extracted and verified beside {@code near}, for {@code work}; removed afterwards. */
    public static <T> CompletionStage<T> withWal(Path archive, Path near, Optional<Sealer> sealer, ActorSystem system,
                                                 Function<Path, CompletionStage<T>> work) {
        return withExtracted(archive, near, sealer, system,
                (extracted, meta) -> work.apply(MemberDir.of(extracted).walDir()));
    }

    interface Work<T> {
        CompletionStage<T> on(Path extracted, WalArchiveMeta meta);
    }

    private static <T> CompletionStage<T> withExtracted(Path archive, Path near, Optional<Sealer> sealer,
                                                         ActorSystem system, Work<T> work) {
        Path scratch = TempOutput.beside(near);
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return WalArchiveJob.extract(archive, MemberDir.of(scratch).path(), sealer,
                                system.settings().config());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, system.dispatchers().lookup(BlockingIo.DISPATCHER))
                .thenCompose(meta -> work.on(scratch, meta))
                .whenComplete((done, failure) -> {
                    try {
                        FileTrees.delete(scratch);
                    } catch (IOException ignored) {
                        // named as ours: swept by the next run beside the target
                    }
                });
    }
}
