package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.io.PrivateFiles;
import com.typesafe.config.Config;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.pipeline.run.BuiltInPipelines;
import dev.raftpipe.pipeline.run.PipelineFile;
import dev.raftpipe.pipeline.run.PipelineReport;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.RedactionSummary;
import dev.raftpipe.stages.ReplaySummary;
import org.apache.pekko.actor.ActorSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * {@code raftpipe backup}: the {@code backup} pipeline, one streaming pass WAL source → raft resolution →
 * redaction → the backup's WAL (and, with a backend, the replay sink, fed the very same entries). Entries are rewritten, never
 * removed, so indexes stay true. Everything is assembled in {@code <backup-dir>.tmp-<random>}, verified,
 * and renamed into place.
 */
public final class Backup {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Backup() {
    }

    public record Report(BackupOptions options, RaftLogSummary log, RedactionSummary redaction, WalWriteSummary wal,
                         Optional<ReplaySummary> backend, WalMetadata metadata, boolean snapCopied,
                         Duration duration) {
    }

    public static CompletionStage<Report> run(BackupOptions o, boolean progress, ActorSystem system) throws IOException {
        long start = System.nanoTime();
        if (!Files.isDirectory(o.walDir())) {
            throw new NoSuchFileException(o.walDir().toString(), null, "no WAL directory here");
        }
        for (Path target : Stream.of(Stream.of(o.backupDir()), o.backupWalDir().stream(), o.backend().stream())
                .flatMap(x -> x).toList()) {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "already exists; a backup never overwrites");
            }
        }
        if (o.policy().hasRules()) {
            refuseIfPurged(o.walDir());
        }
        Path temp = dev.raftpipe.codecs.io.TempOutput.beside(o.backupDir());
        Path tempWal = temp.resolve("member/wal");
        Path tempBackend = temp.resolve("backend.db.tmp");
        boolean copySnap = !o.policy().hasRules();
        PrivateFiles.createDirectories(temp.resolve("member/snap"));
        try {
            if (copySnap) {
                copySnapDir(o.dataDir().resolve("member/snap"), temp.resolve("member/snap"));
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
        WalMetadata fresh = new WalMetadata(randomId(), randomId());
        CompletionStage<PipelineReport> ran;
        try {
            PipelineFile pipeline = pipeline(o, fresh, tempWal, tempBackend, system.settings().config());
            ran = BuiltInPipelines.run(pipeline, progress ? Optional.of("backing up " + o.walDir()) : Optional.empty(),
                    system);
        } catch (RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
        return ran.thenApply(r -> new Report(o, r.one(RaftLogSummary.class), r.one(RedactionSummary.class),
                        r.one(WalWriteSummary.class), r.find(ReplaySummary.class), o.keepIds() ? null : fresh, copySnap,
                        Duration.ZERO))
                // reading the backup back and renaming are blocking file work
                .thenApplyAsync(report -> publish(report, temp, tempWal, tempBackend, start),
                        system.dispatchers().lookup(BlockingIo.DISPATCHER))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        deleteTree(temp);
                    }
                });
    }

    /** The {@code backup} pipeline with this backup's settings on its stages. */
    private static PipelineFile pipeline(BackupOptions o, WalMetadata fresh, Path tempWal, Path tempBackend,
                                         Config config) {
        RedactionPolicy policy = o.policy();
        PipelineFile pipeline = BuiltInPipelines.named(config, "backup")
                .require("resolve")
                .with("wal-source", "dir", o.walDir())
                .with("redact", "redact-prefixes", strings(policy.dropPrefixes()))
                .with("redact", "mask-prefixes", strings(policy.maskPrefixes()))
                .with("redact", "keep-membership", policy.keepMembership())
                .with("wal-sink", "dir", tempWal);
        if (policy.maskKey() != null) {
            pipeline = pipeline.with("redact", "mask-key", HexFormat.of().formatHex(policy.maskKey()));
        }
        if (!o.keepIds()) {
            pipeline = pipeline.with("wal-sink", "node-id", NodeIds.hex(fresh.nodeId()))
                    .with("wal-sink", "cluster-id", NodeIds.hex(fresh.clusterId()));
        }
        pipeline = o.backend().isPresent() ? pipeline.with("replay-sink", "backend", tempBackend)
                : pipeline.withoutSink("replay-sink");
        return pipeline;
    }

    private static Report publish(Report r, Path temp, Path tempWal, Path tempBackend, long start) {
        BackupOptions o = r.options();
        try {
            if (o.verify()) {
                BackupVerification.check(tempWal, r);
            }
            if (o.backupWalDir().isPresent()) {
                PrivateFiles.createDirectories(o.backupWalDir().get().toAbsolutePath().getParent());
                Files.move(tempWal, o.backupWalDir().get());
            }
            if (o.backend().isPresent()) {
                Files.move(tempBackend, o.backend().get());
            }
            Files.move(temp, o.backupDir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Report(o, r.log(), r.redaction(), r.wal(), r.backend(), r.metadata(), r.snapCopied(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The source's member/snap/db holds unredacted data and is never copied when redacting; so the WAL
     * must still hold every entry from index 1, or the backup would silently lack data.
     */
    private static void refuseIfPurged(Path walDir) throws IOException {
        try (WalReader reader = WalReader.open(walDir, WalReader.Options.DEFAULTS)) {
            for (WalRecord r = reader.next(); r != null; r = reader.next()) {
                if (r instanceof WalRecord.EntryRecord e) {
                    if (e.entry().index() > 1) {
                        throw new VerificationException("the WAL starts at index " + e.entry().index()
                                + " (etcd purged older segments): a redacting backup would lack the entries before "
                                + "it, whose data only the unredacted member/snap/db holds; refusing");
                    }
                    return;
                }
            }
        }
    }

    private static void copySnapDir(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (java.io.OutputStream out = PrivateFiles.newOutputStream(to.resolve(f.getFileName()),
                        java.nio.file.StandardOpenOption.CREATE_NEW)) {
                    Files.copy(f, out);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException ignored) {
            // a leftover .tmp- directory is never at the published path
        }
    }

    private static List<String> strings(List<byte[]> prefixes) {
        return prefixes.stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }

    private static long randomId() {
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0);
        return id;
    }
}
