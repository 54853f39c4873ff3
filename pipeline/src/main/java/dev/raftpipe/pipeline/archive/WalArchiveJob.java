package dev.raftpipe.pipeline.archive;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.archive.ArchiveLimits;
import dev.raftpipe.codecs.archive.Digests;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.WalArchiveMeta;
import dev.raftpipe.codecs.archive.WalArchiveNames;
import dev.raftpipe.codecs.archive.WalArchiveReader;
import dev.raftpipe.codecs.archive.WalArchiveWriter;
import dev.raftpipe.codecs.archive.WalContent;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.snap.SnapDir;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalSegment;
import dev.raftpipe.pipeline.RaftpipeVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * WAL archives of a finished member directory ({@code wal/} and, for a purged source, {@code snap/db} and its
 * {@code .snap}): packed into {@code <out>.tmp-…} (0600), self-tested by extracting it again and checking everything
 * a reader checks, then renamed onto {@code <out>}; and extracted, verified, into a member directory.
 */
public final class WalArchiveJob {
    private WalArchiveJob() {
    }

    /** @param checksum the whole file's, {@code sha-256=<base64>} */
    public record Packed(Path archive, WalArchiveMeta meta, long bytes, String checksum, Duration duration) {
    }

    /** Packs {@code member} into a new WAL archive at {@code out}; a failure leaves nothing there. */
    public static Packed pack(Path member, Path out, Optional<Sealer> sealer, Config config) throws IOException {
        long start = System.nanoTime();
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "already exists; remove it or choose another name");
        }
        Config c = config.getConfig("raftpipe.archive");
        Path temp = TempOutput.beside(out);
        Path selfTest = TempOutput.beside(out);
        try {
            WalArchiveMeta meta = describe(member, sealer.map(Sealer::kind).orElse("none"));
            try (OutputStream file = PrivateFiles.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                meta = WalArchiveWriter.write(file, meta, files(member), sealer,
                        Math.toIntExact(c.getBytes("encryption-chunk-size")), c.getInt("wal-gzip-level"));
            }
            try (var ch = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            // the self-test reads back what a restore reads: every byte, the seal, the WAL itself
            WalArchiveReader.extract(temp, selfTest.resolve("member"), limits(c), sealer);
            String checksum = checksum(temp);
            Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
            return new Packed(out, meta, Files.size(out), checksum, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Files.deleteIfExists(temp);
            FileTrees.delete(selfTest);
        }
    }

    /** Extracts and verifies {@code archive} into {@code member} (which must not exist). */
    public static WalArchiveMeta extract(Path archive, Path member, Optional<Sealer> sealer, Config config)
            throws IOException {
        return WalArchiveReader.extract(archive, member, limits(config.getConfig("raftpipe.archive")), sealer);
    }

    /** The member's files under their archive names, in archive order. */
    static Map<String, Path> files(Path member) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        Path snap = member.resolve("snap");
        if (Files.isRegularFile(snap.resolve("db"))) {
            files.put(WalArchiveNames.DB, snap.resolve("db"));
        }
        if (Files.isDirectory(snap)) {
            List<Path> snaps = new ArrayList<>(SnapDir.files(snap));
            snaps.sort(null);
            snaps.forEach(p -> files.put("member/snap/" + p.getFileName(), p));
        }
        for (WalSegment s : WalSegment.list(member.resolve("wal"))) {
            files.put("member/wal/" + s.name(), s.path());
        }
        return files;
    }

    /** meta.json's facts about a member directory: its WAL's IDs, entries, hard state and snapshots, its db's index. */
    static WalArchiveMeta describe(Path member, String sealer) throws IOException {
        WalContent wal = WalContent.read(WalSegment.list(member.resolve("wal")));
        WalMetadata ids = wal.metadata().orElseThrow(() -> new dev.raftpipe.codecs.VerificationException(
                member.resolve("wal") + " has no metadata record"));
        OptionalLong dbIndex = OptionalLong.empty();
        Path db = member.resolve("snap").resolve("db");
        if (Files.isRegularFile(db)) {
            try (EtcdDb d = EtcdDb.open(db, SnapshotTrailer.Check.AUTO)) {
                dbIndex = OptionalLong.of(d.meta().consistentIndex());
            }
        }
        return new WalArchiveMeta(WalArchiveMeta.FORMAT, RaftpipeVersion.producer(), System.currentTimeMillis(),
                ids.clusterId() == 0 ? OptionalLong.empty() : OptionalLong.of(ids.clusterId()), ids.nodeId(),
                wal.firstIndex(), wal.lastIndex(), wal.lastTerm(), wal.hardState(), wal.snapshotIndexes(), dbIndex,
                wal.contentDigest(), wal.digest().elements(), sealer, Map.of(), false);
    }

    private static ArchiveLimits limits(Config c) {
        return new ArchiveLimits(c.getBytes("max-state-size"), c.getDouble("max-decompression-ratio"));
    }

    /** The whole file's SHA-256 as archives report it: {@code sha-256=<base64>}. */
    public static String checksum(Path file) throws IOException {
        MessageDigest d = Digests.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digests.checksum(d.digest());
    }
}
