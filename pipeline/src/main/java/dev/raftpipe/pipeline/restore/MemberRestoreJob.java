package dev.raftpipe.pipeline.restore;

import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.EtcdDbWriter;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.raft.ConfChange;
import dev.raftpipe.codecs.raft.ConfChangeType;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.RaftMessages;
import dev.raftpipe.codecs.raft.WalSnapshot;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriter;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.pipeline.RefusedException;
import dev.raftpipe.pipeline.ScratchBackend;
import dev.raftpipe.pipeline.TempNames;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import dev.raftpipe.pipeline.archive.WalArchiveRestore;
import dev.raftpipe.pipeline.job.TailReplay;
import dev.raftpipe.pipeline.source.SourceKind;
import dev.raftpipe.pipeline.source.StateSources;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.DbSink;
import dev.raftpipe.stages.DbSinkSettings;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * {@code restore --etcd-data-dir}: a member's data dir that real etcd starts from, as {@code etcdutl snapshot
 * restore} (3.5) and {@code etcdctl snapshot restore} (3.4) make it: the db (raftpipe's writer) holding the
 * source's state with the new cluster's members, consistent_index reset to the number of members (etcd skips
 * every entry at or below it, so keeping the source's index would make the new cluster ignore writes) and, for
 * 3.5, term 1 and the new voters; a {@code .snap} at that index from which etcd rebuilds membership; and a WAL
 * with the new IDs, one AddNode conf change per member, the hard state committing them and the snapshot record.
 * Assembled as {@code member.tmp-<random>} inside the target and renamed to {@code member}.
 */
public final class MemberRestoreJob {
    private MemberRestoreJob() {
    }

    /**
     * @param walDir       etcdutl's {@code --wal-dir}: the WAL elsewhere than {@code member/wal}
     * @param revisionBump {@code --bump-revision N --mark-compacted} (0: none)
     */
    public record Settings(Path dataDir, String name, InitialCluster cluster, Optional<Path> walDir,
                           Optional<EtcdVersion> etcdVersion, long revisionBump, boolean allowDowngrade) {
    }

    public record Report(Path member, StateRecord.Member self, InitialCluster cluster, EtcdDbFile.Published db,
                         Path snap, Duration duration) {
    }

    public static CompletionStage<Report> run(Path source, StateSources.Reading read, Settings s, boolean progress,
                                              ActorSystem system) throws IOException {
        checkTarget(s);
        return CreatedDirectories.removedOnFailure(s.dataDir(), () -> stateIntoMember(source, read, s, progress, system));
    }

    private static CompletionStage<Report> stateIntoMember(Path source, StateSources.Reading read, Settings s,
                                                           boolean progress, ActorSystem system) throws IOException {
        return StateSources.stream(source, SourceKind.of(source), read, MemberDir.of(s.dataDir()).path(), sink(s),
                progress, system);
    }

    /**
     * An archive with a WAL tail after it (raftpipe's {@code --wal-dir}): the archive is restored into a scratch
     * backend beside the member and the tail replayed through the applied_index guard, then that state becomes the
     * member. The scratch backend is removed either way.
     */
    public static CompletionStage<Report> runWithTail(Path archive, Path walDir, TailReplay tail, ArchiveKey key,
                                                      Settings s, boolean progress, ActorSystem system)
            throws IOException {
        return throughScratch(s, scratch -> ArchiveJobs.restore(archive, scratch, false, Optional.of(walDir), tail, key,
                progress, system), progress, system);
    }

    /** A WAL archive, replayed into a scratch backend as etcd would start from it (its db first), then the member. */
    public static CompletionStage<Report> runFromWalArchive(Path walArchive, TailReplay tail, Optional<Sealer> sealer,
                                                            Settings s, boolean progress, ActorSystem system)
            throws IOException {
        return throughScratch(s, scratch -> WalArchiveRestore.toBackend(walArchive, scratch, tail, sealer, progress,
                system), progress, system);
    }

    /** The work that fills a scratch backend beside the member. */
    private interface ScratchFill {
        CompletionStage<?> into(Path scratch) throws IOException;
    }

    private static CompletionStage<Report> throughScratch(Settings s, ScratchFill fill, boolean progress,
                                                          ActorSystem system) throws IOException {
        checkTarget(s);
        return CreatedDirectories.removedOnFailure(s.dataDir(), () -> {
            PrivateFiles.createDirectories(s.dataDir());
            Path scratch = ScratchBackend.beside(MemberDir.of(s.dataDir()).path());
            return ScratchBackend.removedAfter(scratch, fill.into(scratch).thenCompose(filled -> {
                try {
                    return stateIntoMember(scratch, StateSources.Reading.DEFAULTS, s, progress, system);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        });
    }

    /**
     * The member's data dir as a sink of live state records (meta, members, leases, keys): the db is written as
     * they arrive (bounded sorts), the .snap and WAL when they end, then {@code member.tmp-<random>} is renamed
     * to {@code member}. A failed stream leaves nothing.
     */
    public static Sink<StateRecord, CompletionStage<Report>> sink(Settings s) {
        return Sink.<StateRecord, CompletionStage<Report>>fromMaterializer((mat, attributes) -> {
            long start = System.nanoTime();
            ActorSystem system = mat.system();
            MemberDir temp = MemberDir.at(TempNames.beside(MemberDir.of(s.dataDir()).path())).withWalDir(s.walDir());
            try {
                checkTarget(s);
                PrivateFiles.createDirectories(s.dataDir());
                temp.createSnapDir();
            } catch (IOException e) {
                deleteQuietly(temp.path());
                return Sink.<StateRecord>cancelled().mapMaterializedValue(nu -> CompletableFuture.failedFuture(e));
            }
            DbSinkSettings db = DbSinkSettings.create(system.settings().config()).withEtcdVersion(s.etcdVersion())
                    .withSnapshotTrailer(false).withRevisionBump(s.revisionBump());
            return Flow.<StateRecord>create().mapConcat(r -> newCluster(r, s))
                    .toMat(DbSink.toFile(temp.db(), db), Keep.right())
                    .mapMaterializedValue(written -> written
                            .thenApplyAsync(published -> publish(published, temp, s, start),
                                    system.dispatchers().lookup(BlockingIo.DISPATCHER))
                            .whenComplete((r, failure) -> {
                                if (failure != null) {
                                    deleteQuietly(temp.path());
                                    s.walDir().ifPresent(MemberRestoreJob::deleteQuietly);
                                }
                            }));
        }).mapMaterializedValue(nested -> nested.thenCompose(report -> report));
    }

    private static void checkTarget(Settings s) throws IOException {
        s.cluster().member(s.name());
        Path member = MemberDir.of(s.dataDir()).path();
        if (Files.exists(member)) {
            throw new FileAlreadyExistsException(member.toString(), null, "already holds a member; restore into a new "
                    + "or empty directory");
        }
        if (Files.exists(s.dataDir()) && !Files.isDirectory(s.dataDir())) {
            throw new FileAlreadyExistsException(s.dataDir().toString(), null, "not a directory");
        }
        if (Files.isDirectory(s.dataDir())) {
            // etcdutl's rule: a member is restored only into a new or empty directory (our own temporaries aside)
            List<String> others;
            try (Stream<Path> entries = Files.list(s.dataDir())) {
                others = entries.filter(p -> !TempOutput.isTempOf(member, p)).map(p -> p.getFileName().toString())
                        .sorted().toList();
            }
            if (!others.isEmpty()) {
                throw new FileAlreadyExistsException(s.dataDir().toString(), null, "not empty (it holds " + others.get(0)
                        + (others.size() > 1 ? " and " + (others.size() - 1) + " more" : "")
                        + "); restore into a new or empty directory");
            }
        }
        if (s.walDir().isPresent() && Files.exists(s.walDir().get())) {
            throw new FileAlreadyExistsException(s.walDir().get().toString(), null, "already exists");
        }
    }

    /** After the db: the .snap and the WAL, then the rename that publishes the member. */
    private static Report publish(EtcdDbFile.Published db, MemberDir temp, Settings s, long start) {
        try {
            StateRecord.Member self = s.cluster().member(s.name());
            ConfState conf = ConfState.of(s.cluster().ids(), List.of());
            Path snap = temp.writeSnap(1, s.cluster().members().size(), conf, s.cluster().members());
            temp.writeWal(WalWriter.Options.DEFAULTS, new WalMetadata(self.id(), s.cluster().clusterId()),
                    walRecords(s.cluster(), conf, db.written().etcdVersion()));
            MemberDir member = temp.movedTo(MemberDir.of(s.dataDir()).path());
            Files.move(temp.path(), member.path(), StandardCopyOption.ATOMIC_MOVE);
            return new Report(member.path(), self, s.cluster(), db, member.snapDir().resolve(snap.getFileName()),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source's meta with the new cluster's index, term and voters; its members replaced by the new ones. */
    private static List<StateRecord> newCluster(StateRecord r, Settings s) {
        InitialCluster cluster = s.cluster();
        if (r instanceof StateRecord.Meta m) {
            Optional<EtcdVersion> served = EtcdVersion.ofClusterVersion(m.clusterVersion());
            if (s.etcdVersion().isPresent() && served.isPresent() && served.get().isNewerThan(s.etcdVersion().get())
                    && !s.allowDowngrade()) {
                throw new RefusedException("the state comes from etcd " + m.clusterVersion() + ": restoring it for "
                        + "etcd " + s.etcdVersion().get().label() + " is a downgrade (3.4 keeps no term or confState in its db, "
                        + "and reads a 3.5 cluster version it does not know); pass --allow-downgrade to do it anyway");
            }
            List<StateRecord> out = new ArrayList<>();
            out.add(new StateRecord.Meta(cluster.members().size(), 1, m.revision(), m.compactRevision(), cluster.ids(),
                    List.of(), m.clusterVersion(), m.applyMode()));
            out.addAll(cluster.members());
            return out;
        }
        return r instanceof StateRecord.Member ? List.of() : List.of(r);
    }

    /** As etcdutl's saveWALAndSnap, after the metadata: AddNode entries 1..n at term 1, the hard state, the snapshot. */
    private static List<WalRecord> walRecords(InitialCluster cluster, ConfState conf, EtcdVersion etcd)
            throws IOException {
        int n = cluster.members().size();
        List<WalRecord> records = new ArrayList<>();
        long index = 0;
        for (StateRecord.Member m : cluster.members()) {
            index++;
            byte[] context = EtcdDbWriter.memberJson(m); // json.Marshal of etcd's Member, as etcdutl's
            records.add(new WalRecord.EntryRecord(new Entry(1, index, EntryType.CONF_CHANGE,
                    RaftMessages.encodeConfChange(new ConfChange(0, ConfChangeType.ADD_NODE, m.id(), context)))));
        }
        records.add(new WalRecord.StateRecord(new HardState(1, cluster.members().get(0).id(), n)));
        records.add(new WalRecord.SnapshotRecord(new WalSnapshot(n, 1,
                etcd.recordsConfStateInWalSnapshot() ? Optional.of(conf) : Optional.empty())));
        return records;
    }

    private static void deleteQuietly(Path p) {
        try {
            FileTrees.delete(p);
        } catch (IOException ignored) {
            // the failure being reported matters more than a leftover named as ours
        }
    }
}
