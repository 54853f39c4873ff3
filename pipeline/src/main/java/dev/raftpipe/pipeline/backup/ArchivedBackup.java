package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.pipeline.archive.WalArchiveJob;
import dev.raftpipe.stages.BlockingIo;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code backup --archive}: the backup (redacted as told; a purged source's db and .snap included, a WAL from index 1
 * alone, so that every point of it can be restored) assembled in a
 * scratch directory beside the archive, with WAL segments that hold only what was written, then packed into one
 * sealed WAL archive ({@link WalArchiveJob}); the scratch directory is removed either way.
 */
public final class ArchivedBackup {
    private ArchivedBackup() {
    }

    public record Report(Backup.Report backup, WalArchiveJob.Packed archive) {
    }

    public static CompletionStage<Report> run(BackupOptions o, Path archive, Optional<Sealer> sealer, boolean progress,
                                              ActorSystem system) throws IOException {
        if (Files.exists(archive)) {
            throw new FileAlreadyExistsException(archive.toString(), null, "already exists; a backup never overwrites");
        }
        Path scratch = TempOutput.beside(archive);
        return Backup.run(o.into(scratch), false, progress, system)
                .thenApplyAsync(backup -> {
                    try {
                        if (backup.base().isEmpty()) {
                            // the WAL from index 1 holds everything; a db would only hide the points before it
                            FileTrees.delete(scratch.resolve("member/snap"));
                        }
                        return new Report(backup, WalArchiveJob.pack(scratch.resolve("member"), archive, sealer,
                                system.settings().config()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, system.dispatchers().lookup(BlockingIo.DISPATCHER))
                .whenComplete((done, failure) -> {
                    try {
                        FileTrees.delete(scratch);
                    } catch (IOException ignored) {
                        // named as ours: the next run beside the archive sweeps it
                    }
                });
    }
}
