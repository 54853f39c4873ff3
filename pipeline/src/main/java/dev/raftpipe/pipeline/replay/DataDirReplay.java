package dev.raftpipe.pipeline.replay;

import dev.raftpipe.pipeline.job.ReplayJob;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.db.EtcdDataDir;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.pipeline.MemberLocks;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.TempNames;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.job.TailReplay;
import dev.raftpipe.stages.BackendRestoreSink;
import dev.raftpipe.stages.DbSource;
import dev.raftpipe.stages.DbSourceSettings;
import dev.raftpipe.stages.DbSummary;
import dev.raftpipe.stages.RestoreSummary;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.RestoreOptions;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code replay --data-dir}: a member's data dir replayed the way etcd starts from it. The backend is seeded
 * from the db (keyspace at its consistent_index, membership from the newest .snap file) by the db source and
 * the restore sink, then the WAL after it goes through the {@code replay} pipeline, whose applied_index guard
 * skips what the db already holds and applies the conf changes after the .snap to membership.
 */
public final class DataDirReplay {
    private DataDirReplay() {
    }

    /**
     * @param seeded what the db gave the backend; empty when the backend already stood at or past the db
     */
    public record Report(EtcdDataDir dataDir, long dbConsistentIndex, Optional<Seeded> seeded, ReplayJob.Report tail,
                         Duration duration) {
    }

    public record Seeded(DbSummary db, RestoreSummary restore) {
    }

    public static CompletionStage<Report> run(Path dataDir, Path backend, boolean progress, ActorSystem system)
            throws IOException {
        return run(dataDir, backend, TailReplay.WHOLE, progress, system);
    }

    /**
     * @param tailReplay where a point-in-time replay stops: an index at or after the db's consistent_index, a revision at
     *             or after the db's (the db's state is the earliest this data dir holds); a new backend only
     */
    public static CompletionStage<Report> run(Path dataDir, Path backend, TailReplay tailReplay, boolean progress,
                                              ActorSystem system) throws IOException {
        long start = System.nanoTime();
        EtcdDataDir dir = EtcdDataDir.open(dataDir);
        MemberLocks.refuseIfRunning(dir);
        DbSourceSettings settings = DbSourceSettings.create(system.settings().config());
        long dbIndex;
        try (EtcdDb db = EtcdDb.open(dir.db(), settings.trailerCheck())) {
            dbIndex = db.meta().consistentIndex();
        }
        dir.requireWalFrom(dbIndex);
        if (tailReplay.stop().index().isPresent() && tailReplay.stop().index().getAsLong() < dbIndex) {
            throw new VerificationException("index " + tailReplay.stop().index().getAsLong() + " is before the db's consistent_index "
                    + dbIndex + ": this data dir holds the state from there on (etcd purged the entries before it); "
                    + "use an older base");
        }
        if (tailReplay.stop().isSet() && Files.exists(backend)) {
            throw new FileAlreadyExistsException(backend.toString(), null,
                    "a point-in-time replay builds a new backend");
        }
        if (!needsSeed(backend, dbIndex)) {
            return ReplayJob.run(dir.walDir(), backend, tailReplay, progress, system).thenApply(tail -> new Report(dir, dbIndex,
                    Optional.empty(), tail, Duration.ofNanos(System.nanoTime() - start)));
        }
        // a new backend is built under a temporary name and published only once the WAL tail applied
        Path temp = TempNames.beside(backend);
        return seed(dir, temp, settings, progress, system)
                .thenCompose(seeded -> ReplayJob.run(dir.walDir(), temp, tailReplay, progress, system).thenApply(tail -> {
                    publish(temp, backend);
                    ReplayJob.Report published = new ReplayJob.Report(tail.walDir(), tail.read(), tail.log(),
                            tail.replay().publishedAt(backend), tail.cut(), tail.duration());
                    return new Report(dir, dbIndex, Optional.of(seeded), published,
                            Duration.ofNanos(System.nanoTime() - start));
                }))
                .whenComplete((r, failure) -> {
                    if (failure != null) {
                        ScratchBackend.delete(temp);
                    }
                });
    }

    private static void publish(Path temp, Path backend) {
        try {
            if (Files.exists(backend)) {
                throw new FileAlreadyExistsException(backend.toString(), null,
                        "appeared while the replay ran; the replayed backend is left at " + temp);
            }
            Files.move(temp, backend, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new backend is seeded; one at or past the db continues through the guard; one behind it cannot. */
    private static boolean needsSeed(Path backend, long dbIndex) {
        if (!Files.exists(backend)) {
            return true;
        }
        long at;
        try (BackendSnapshot b = Backend.snapshot(backend)) {
            at = b.meta().consistentIndex();
        }
        if (at < dbIndex) {
            throw new VerificationException(backend + " stands at index " + at + ", behind the data dir's db at "
                    + dbIndex + ", and the WAL between them is purged: replay into a new backend");
        }
        return false;
    }

    private static CompletionStage<Seeded> seed(EtcdDataDir dir, Path backend, DbSourceSettings settings,
                                                boolean progress, ActorSystem system) {
        long membershipIndex = dir.snap().map(s -> s.index()).orElse(-1L);
        RestoreOptions options = membershipIndex >= 0
                ? RestoreOptions.defaults().withMembershipIndex(membershipIndex) : RestoreOptions.defaults();
        Pair<CompletionStage<DbSummary>, CompletionStage<RestoreSummary>> m = DbSource.dataDir(dir, settings)
                .via(Progress.ofState("seeding from " + dir.db(), progress))
                .toMat(BackendRestoreSink.to(backend, options), Keep.both())
                .run(system);
        return Streams.sourceThenSink(m.first(), m.second()).thenCombine(m.second(), Seeded::new);
    }
}
