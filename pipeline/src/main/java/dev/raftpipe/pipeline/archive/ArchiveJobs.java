package dev.raftpipe.pipeline.archive;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.archive.ArchiveMeta;
import dev.raftpipe.codecs.archive.ArchiveReader;
import dev.raftpipe.codecs.archive.ArchiveSidecar;
import dev.raftpipe.codecs.archive.ArchiveVerificationException;
import dev.raftpipe.codecs.archive.Sealers;
import dev.raftpipe.codecs.archive.VerifiedArchive;
import dev.raftpipe.codecs.archive.WalArchiveReader;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.job.ReplayJob;
import dev.raftpipe.pipeline.job.StopAt;
import dev.raftpipe.pipeline.job.TailReplay;
import dev.raftpipe.pipeline.job.Hooks;
import dev.raftpipe.pipeline.job.RestoreJob;
import dev.raftpipe.pipeline.job.SealJob;
import com.typesafe.config.Config;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.RestoreSummary;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSettings;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.RestoreOptions;
import dev.raftpipe.stages.SnapshotArchive;
import org.apache.pekko.actor.ActorSystem;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The archive pipelines behind {@code seal}, {@code verify}, {@code inspect} and {@code restore}. */
public final class ArchiveJobs {
    private ArchiveJobs() {
    }

    public record Restored(VerifiedArchive archive, RestoreSummary restore, Optional<ReplayJob.Report> tail,
                           Duration duration) {
    }

    /** {@link SealJob}: a backend's state records into an archive published at {@code out}, with the seal hooks. */
    public static CompletionStage<SealJob.Report> seal(Path backend, SealTarget out, ArchiveKey key, boolean selfTest,
                                                       boolean progress, ActorSystem system) throws NoSuchFileException {
        return seal(backend, ArchiveMeta.FROM_BACKEND, out, key, selfTest, progress, system);
    }

    /** The same, recording in meta.json what the backend's state came from (a scratch backend of a data dir…). */
    public static CompletionStage<SealJob.Report> seal(Path backend, String source, SealTarget out, ArchiveKey key,
                                                       boolean selfTest, boolean progress, ActorSystem system)
            throws NoSuchFileException {
        if (!Files.isRegularFile(backend)) {
            throw new NoSuchFileException(backend.toString(), null, "no backend here");
        }
        Config config = system.settings().config();
        SealJob.Settings settings = SealJob.Settings.create(backend, out.out(), config).withPublisher(out.publisher());
        settings = settings.withArchive(settings.archive().withSealer(key.sealing(ArchiveKey.SETTINGS))
                        .withSelfTest(selfTest).withSource(source).withClusterId(clusterOf(backend)))
                .withHooks(Hooks.of(config, Hooks.SEAL)).withProgress(progress);
        return SealJob.graph(settings).run(system);
    }

    /** Verifies the archive and, if it has one, checks its sidecar against it. */
    public static VerifiedArchive verify(Path archive, ArchiveSettings settings) throws IOException {
        checkSidecarFormat(archive);
        return SnapshotArchive.verify(archive, settings);
    }

    /**
     * The {@code restore} pipeline: the archive is verified as it is read and the backend published only
     * then; then the WAL's later entries, if given, through the {@code replay} pipeline's applied_index guard.
     */
    public static CompletionStage<Restored> restore(Path archive, Path backend, boolean force, Optional<Path> walDir,
                                                    ArchiveKey key, boolean progress, ActorSystem system)
            throws IOException {
        return restore(archive, backend, force, walDir, TailReplay.WHOLE, key, progress, system);
    }

    /**
     * With a point in time ({@code tail}'s stop), the archive is the base and the WAL tail is replayed up to it: built
     * under a temporary name beside a new {@code backend} and published only when both succeeded.
     */
    public static CompletionStage<Restored> restore(Path archive, Path backend, boolean force, Optional<Path> walDir,
                                                    TailReplay tail, ArchiveKey key, boolean progress, ActorSystem system)
            throws IOException {
        if (!tail.stop().isSet()) {
            return restoreThenTail(archive, backend, force, walDir, tail, key, progress, system);
        }
        if (walDir.isEmpty()) {
            throw new IllegalArgumentException("a point in time needs the WAL after the archive (--wal-dir)");
        }
        if (Files.exists(backend)) {
            throw new FileAlreadyExistsException(backend.toString(), null,
                    "a point-in-time restore builds a new backend");
        }
        Path temp = TempOutput.beside(backend);
        return restoreThenTail(archive, temp, false, walDir, tail, key, progress, system)
                .thenApply(r -> {
                    try {
                        Files.move(temp, backend, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return r;
                })
                .whenComplete((r, failure) -> {
                    if (failure != null) {
                        ScratchBackend.delete(temp);
                    }
                });
    }

    private static CompletionStage<Restored> restoreThenTail(Path archive, Path backend, boolean force,
                                                             Optional<Path> walDir, TailReplay tailReplay, ArchiveKey key,
                                                             boolean progress, ActorSystem system) throws IOException {
        long start = System.nanoTime();
        checkSidecarFormat(archive);
        Config config = system.settings().config();
        RestoreJob.Settings settings = RestoreJob.Settings.create(archive, backend, config);
        settings = settings.withRead(settings.read().withSealer(key.opening(archive, ArchiveKey.SETTINGS)))
                .withRestore(RestoreOptions.defaults().withForce(force)).withHooks(Hooks.of(config, Hooks.RESTORE)).withProgress(progress);
        return RestoreJob.graph(settings).run(system)
                .thenCompose(r -> {
                    VerifiedArchive verified = r.archive();
                    return verified.meta().clusterId().isEmpty() ? CompletableFuture.completedFuture(r)
                            : CompletableFuture.supplyAsync(() -> {
                                try (Backend b = Backend.open(backend, BackendSettings.create(system.settings().config()))) {
                                    b.recordCluster(verified.meta().clusterId().getAsLong());
                                }
                                return r;
                            }, system.dispatchers().lookup(BlockingIo.DISPATCHER));
                })
                .thenCompose(r -> {
                    VerifiedArchive verified = r.archive();
                    RestoreSummary restored = r.restore();
                    if (walDir.isEmpty()) {
                        return CompletableFuture.completedFuture(new Restored(verified, restored, Optional.empty(),
                                Duration.ofNanos(System.nanoTime() - start)));
                    }
                    long base = restored.meta().consistentIndex();
                    StopAt stop = tailReplay.stop();
                    if (stop.index().isPresent() && stop.index().getAsLong() < base) {
                        throw new VerificationException("index " + stop.index().getAsLong() + " is before the "
                                + "archive's consistent_index " + base + ", the earliest state it holds: use an older base");
                    }
                    return ReplayJob.run(walDir.get(), backend, tailReplay, progress, system).thenApply(tail -> new Restored(verified,
                            restored, Optional.of(tail), Duration.ofNanos(System.nanoTime() - start)));
                });
    }

    /** The cluster a backend's WAL came from, for meta.json; a file that is no backend fails later, in the seal. */
    private static OptionalLong clusterOf(Path backend) {
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            return s.clusterId();
        } catch (RuntimeException notABackend) {
            return OptionalLong.empty();
        }
    }

    /** The sealer kind the archive names (unverified: it only picks the algorithm for a key). */
    public static String sealerOf(Path archive) throws IOException {
        if (WalArchiveReader.isWalArchive(archive)) {
            return WalArchiveReader.peekMeta(archive).sealer();
        }
        return publicMeta(archive).sealer();
    }

    /** meta.json as the archive states it, unverified: all that can be shown of a sealed archive without its key. */
    public static ArchiveMeta publicMeta(Path archive) throws IOException {
        checkSidecarFormat(archive);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            return ArchiveReader.peekMeta(in);
        }
    }

    /**
     * The sealer kind to open an archive with when a key is given: the one named, else the archive's own;
     * an archive claiming no seal gets HMAC, so that the reader refuses it (a key was given: seal stripping).
     */
    public static String openingKind(Path archive, Optional<String> named) throws IOException {
        if (named.isPresent()) {
            String recorded;
            try {
                recorded = sealerOf(archive);
            } catch (IOException | RuntimeException unreadable) {
                recorded = "none"; // the reader that follows says what is wrong with it
            }
            if (!recorded.equals("none") && !Sealers.canonical(recorded).equals(Sealers.canonical(named.get()))) {
                throw new ArchiveVerificationException("the archive is sealed with " + Sealers.canonical(recorded)
                        + ", not " + Sealers.canonical(named.get()) + " (--seal " + named.get() + ")");
            }
        }
        String kind = named.isPresent() ? named.get() : sealerOf(archive);
        if (named.isEmpty() && !kind.equals("none") && !Sealers.known(kind)) {
            // the archive's word, not the user's: a name nothing implements is damage (or a missing plugin)
            throw new ArchiveVerificationException("the archive names the sealer '" + kind + "', which neither raftpipe "
                    + "nor a plugin on the classpath implements");
        }
        return kind.equals("none") ? Sealers.HMAC : kind;
    }

    private static void checkSidecarFormat(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new NoSuchFileException(archive.toString(), null, "no archive here");
        }
        Path sidecar = ArchiveSidecar.of(archive);
        if (Files.exists(sidecar)) {
            ArchiveSidecar.read(sidecar); // refuses a newer format
        }
    }
}
