package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.pipeline.Streams;
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
 * {@code backup --archive}: the backup (redacted as told) as one sealed WAL archive. A data dir's backup is written
 * into the archive as it is made ({@link Backup}: a purged source's db and .snap first, then each WAL segment as it
 * closes; a WAL from index 1 alone, so that every point of it can be restored). An etcd snapshot's (a db, its .snap
 * and a WAL of a few records) is assembled in a scratch directory beside the archive and packed
 * ({@link WalArchiveJob}); the scratch directory is removed either way.
 */
public final class ArchivedBackup {
    private ArchivedBackup() {
    }

    /** @param backup the backup's own report ({@link Backup.Report} or {@link SnapshotBackup.Report}) */
    public record Report<R>(R backup, WalArchiveJob.Packed archive) {
    }

    /** A data dir's backup; {@code o.backupDir()} is the archive's path. */
    public static CompletionStage<Report<Backup.Report>> run(BackupOptions o, Optional<Sealer> sealer,
                                                             boolean progress, ActorSystem system) throws IOException {
        return Backup.run(o, Optional.of(new Backup.ArchiveTarget(sealer)), progress, system)
                .thenApply(r -> new Report<>(r, r.archive().orElseThrow()));
    }

    /** An etcd snapshot's (a file, or a running member's): its db and .snap, and the WAL that names them. */
    public static CompletionStage<Report<SnapshotBackup.Report>> ofSnapshot(Path archive, Optional<Sealer> sealer,
                                                                            ActorSystem system,
                                                                            Into<SnapshotBackup.Report> into)
            throws IOException {
        if (Files.exists(archive)) {
            throw new FileAlreadyExistsException(archive.toString(), null, "already exists; a backup never overwrites");
        }
        Path scratch = TempOutput.beside(archive);
        return Streams.starting(() -> into.backUp(scratch))
                .thenApplyAsync(backup -> {
                    try {
                        return new Report<>(backup, WalArchiveJob.pack(MemberDir.of(scratch).path(), archive, sealer,
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

    /** A backup into the scratch directory it is given (which it creates: it must not exist). */
    public interface Into<R> {
        CompletionStage<R> backUp(Path scratch) throws IOException;
    }
}
