package dev.raftpipe.pipeline.archive;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.archive.ArchiveLimits;
import dev.raftpipe.codecs.archive.Digests;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.WalArchiveMeta;
import dev.raftpipe.codecs.archive.WalArchiveNames;
import dev.raftpipe.codecs.archive.WalArchiveReader;
import dev.raftpipe.codecs.archive.WalArchiveWriter;
import dev.raftpipe.codecs.archive.WalContent;
import dev.raftpipe.codecs.archive.WalFacts;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.io.Durable;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.snap.SnapDir;
import dev.raftpipe.codecs.wal.WalSegment;
import dev.raftpipe.codecs.wal.WalWriter;
import dev.raftpipe.pipeline.RaftpipeVersion;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One WAL archive written as its WAL is: meta.json and the member's db and .snap files first, then each segment as
 * the WAL writer closes it ({@link WalWriter.SegmentHandOff}: read back into the archive's facts, tarred, removed,
 * so the disk holds one segment at a time), then the facts, SHA256SUMS and seal. {@link #finish} then fsyncs it and
 * self-tests it (read back as a reader reads it, one segment spooled at a time, and its bytes' SHA-256 equal to
 * what was written); {@link #publish} renames it onto its path. Until then it is {@code <out>.tmp-…} (0600), which
 * {@link #close} removes.
 */
public final class WalArchiveStream implements WalWriter.SegmentHandOff, Closeable {
    private final Path out;
    private final Path temp;
    private final Optional<Sealer> sealer;
    private final Config settings;
    private final Optional<Path> snapDir;
    private final boolean keepSegments;
    private final long start = System.nanoTime();
    private final WalContent.Reading wal = new WalContent.Reading();
    private final MessageDigest written = Digests.sha256();
    private OutputStream file;
    private WalArchiveWriter writer;
    private OptionalLong dbIndex = OptionalLong.empty();
    private WalArchiveJob.Packed finished;
    private boolean published;

    private WalArchiveStream(Path out, Optional<Sealer> sealer, Config settings, Optional<Path> snapDir,
                             boolean keepSegments) {
        this.out = out;
        this.temp = TempOutput.beside(out);
        this.sealer = sealer;
        this.settings = settings;
        this.snapDir = snapDir;
        this.keepSegments = keepSegments;
    }

    /**
     * @param snapDir      a member's {@code snap} directory whose db and .snap files go in before the first segment
     *                     (a purged WAL's state before it), read when the first segment arrives
     * @param keepSegments leave the segments handed in where they are (archiving a finished directory) rather than
     *                     removing each once it is archived
     */
    public static WalArchiveStream create(Path out, Optional<Sealer> sealer, Config config, Optional<Path> snapDir,
                                          boolean keepSegments) throws FileAlreadyExistsException {
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "already exists; remove it or choose another name");
        }
        return new WalArchiveStream(out, sealer, config.getConfig("raftpipe.archive"), snapDir, keepSegments);
    }

    @Override
    public void take(WalSegment closed) throws IOException {
        begin();
        wal.add(closed);
        writer.add("member/wal/" + closed.name(), closed.path());
        if (!keepSegments) {
            Files.delete(closed.path());
        }
    }

    /** Ends the archive (its facts, sums and seal), fsyncs and self-tests it; it is not yet at its path. */
    public WalArchiveJob.Packed finish() throws IOException {
        begin();
        if (wal.isEmpty()) {
            throw new IllegalStateException("no WAL segment was handed in");
        }
        WalArchiveMeta meta = writer.finish(WalFacts.of(wal.finish(), dbIndex));
        file.close();
        Durable.force(temp);
        String checksum = Digests.checksum(written.digest());
        Path scratch = TempOutput.beside(out);
        try {
            PrivateFiles.createDirectories(scratch);
            // the self-test reads back what a restore reads: every byte, the seal, the WAL itself
            WalArchiveReader.Verified read = WalArchiveReader.verify(temp, scratch, limits(settings), sealer);
            if (!read.checksum().equals(checksum)) {
                throw new VerificationException(temp + " reads back other bytes than were written (" + read.checksum()
                        + ", written " + checksum + "): the disk or filesystem changed them");
            }
        } finally {
            FileTrees.delete(scratch);
        }
        finished = new WalArchiveJob.Packed(out, meta, Files.size(temp), checksum,
                Duration.ofNanos(System.nanoTime() - start));
        return finished;
    }

    /** What {@link #finish} made; null before. */
    public WalArchiveJob.Packed finished() {
        return finished;
    }

    /** Renames the finished archive onto its path. */
    public WalArchiveJob.Packed publish() throws IOException {
        if (finished == null) {
            throw new IllegalStateException("not finished");
        }
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
        published = true;
        return new WalArchiveJob.Packed(out, finished.meta(), finished.bytes(), finished.checksum(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Removes the archive unless it was published. */
    @Override
    public void close() throws IOException {
        try {
            if (writer != null) {
                writer.close();
            }
            if (file != null) {
                file.close();
            }
        } catch (IOException ignored) {
            // abandoned: what matters is that nothing stays behind
        } finally {
            if (!published) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private void begin() throws IOException {
        if (writer != null) {
            return;
        }
        file = new DigestOutputStream(new BufferedOutputStream(PrivateFiles.newOutputStream(temp,
                StandardOpenOption.CREATE_NEW), 1 << 16), written);
        writer = WalArchiveWriter.start(file, RaftpipeVersion.producer(), System.currentTimeMillis(), sealer,
                Math.toIntExact(settings.getBytes("encryption-chunk-size")), settings.getInt("wal-gzip-level"));
        if (snapDir.isEmpty() || !Files.isDirectory(snapDir.get())) {
            return;
        }
        Path db = snapDir.get().resolve("db");
        if (Files.isRegularFile(db)) {
            try (EtcdDb d = EtcdDb.open(db, SnapshotTrailer.Check.AUTO)) {
                dbIndex = OptionalLong.of(d.meta().consistentIndex());
            }
            writer.add(WalArchiveNames.DB, db);
        }
        List<Path> snaps = new ArrayList<>(SnapDir.files(snapDir.get()));
        snaps.sort(null);
        for (Path snap : snaps) {
            writer.add("member/snap/" + snap.getFileName(), snap);
        }
    }

    static ArchiveLimits limits(Config archiveSettings) {
        return new ArchiveLimits(archiveSettings.getBytes("max-state-size"),
                archiveSettings.getDouble("max-decompression-ratio"));
    }
}
