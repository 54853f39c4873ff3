package dev.raftpipe.stages;

import dev.raftpipe.codecs.io.Durable;
import dev.raftpipe.codecs.io.FileErrors;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.archive.ArchiveEntries;
import dev.raftpipe.codecs.archive.ArchiveMeta;
import dev.raftpipe.codecs.archive.ArchiveReader;
import dev.raftpipe.codecs.archive.ArchiveSidecar;
import dev.raftpipe.codecs.archive.ArchiveVerificationException;
import dev.raftpipe.codecs.archive.ArchiveWriter;
import dev.raftpipe.codecs.archive.Digests;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.StateCipher;
import dev.raftpipe.codecs.archive.StateFileWriter;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.archive.VerifiedArchive;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * One seal: state records are spooled to a state.bin file (its size and digest must be known before
 * its tar header is written), then the archive is written to {@code <out>.tmp-<random>}, fsynced,
 * self-tested and renamed onto {@code <out>}. With a {@link ArchivePublisher} the archive is streamed to it instead,
 * self-tested as the bytes go, and published only when the test passes: no copy of it is kept on this machine.
 * Called from one blocking thread at a time.
 */
final class SealRun implements BatchWorker<StateRecord, ArchiveSummary> {
    private final Path out;
    private final ArchiveSettings settings;
    private final Optional<ArchivePublisher> publisher;
    private final Path spool;
    private final Path temp;
    private final MessageDigest stateDigest = Digests.sha256();
    private final List<ArchiveMeta.Server> servers = new ArrayList<>();
    private StateFileWriter writer;
    private StateRecord.Meta meta;
    private Optional<StateCipher.Parameters> encryption = Optional.empty();
    private boolean finished;

    public SealRun(Path out, ArchiveSettings settings, Optional<ArchivePublisher> publisher) {
        this.out = out.toAbsolutePath();
        this.settings = settings;
        this.publisher = publisher;
        this.temp = TempOutput.beside(this.out);
        this.spool = Path.of(temp + ".state");
    }

    @Override
    public synchronized void accept(List<StateRecord> records) {
        if (finished) {
            return;
        }
        try {
            if (writer == null) {
                PrivateFiles.createDirectories(spool.getParent());
                // SHA256SUMS covers the stored bytes: encrypted ones when the sealer encrypts
                OutputStream stored = new DigestOutputStream(new BufferedOutputStream(PrivateFiles.newOutputStream(spool),
                        1 << 16), stateDigest);
                Optional<StateCipher.NewFile> encrypted = settings.sealer().flatMap(Sealer::stateCipher)
                        .map(c -> c.newFile(settings.encryptionChunkBytes()));
                encryption = encrypted.map(StateCipher.NewFile::parameters);
                writer = StateFileWriter.create(encrypted.map(f -> f.encrypting(stored, ArchiveEntries.STATE))
                                .orElse(stored), settings.codec(), settings.codecLevel(), settings.blockBytes());
            }
            for (StateRecord r : records) {
                writer.write(r);
                if (r instanceof StateRecord.Meta m) {
                    meta = m;
                } else if (r instanceof StateRecord.Member m) {
                    servers.add(new ArchiveMeta.Server(m.id(), m.peerUrls().isEmpty() ? "" : m.peerUrls().get(0),
                            m.isLearner() ? 1 : 0));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(FileErrors.naming(spool, e));
        }
    }

    /** Publishes the archive, or cleans up and rethrows the stream's failure. */
    @Override
    public synchronized ArchiveSummary finish(Throwable failure) {
        finished = true;
        try {
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return publish();
        } catch (IOException e) {
            // a publisher's failure names its object already; the local temp is not the user's to know then
            throw new UncheckedIOException(publisher.isPresent() ? e : FileErrors.naming(temp, e));
        } finally {
            closeWriterQuietly();
            deleteQuietly(spool);
            deleteQuietly(temp);
        }
    }

    private ArchiveSummary publish() throws IOException {
        if (writer == null) {
            throw new ArchiveVerificationException("nothing to seal: the stream held no state records");
        }
        writer.close();
        ArchiveMeta archiveMeta = new ArchiveMeta(meta.consistentIndex(), meta.term(), System.currentTimeMillis(),
                servers, Files.size(spool), ArchiveMeta.formatFor(writer.counts(), encryption.isPresent()),
                settings.producer(), meta.revision(), meta.compactRevision(), writer.counts(),
                settings.sealer().map(s -> s.kind()).orElse("none"), settings.source(), encryption,
                settings.clusterId(), Optional.of(writer.contentChecksum()));
        if (publisher.isPresent()) {
            return publishStreamed(archiveMeta, publisher.get());
        }
        try (OutputStream file = new BufferedOutputStream(PrivateFiles.newOutputStream(temp), 1 << 16)) {
            ArchiveWriter.write(file, archiveMeta, spool, Digests.hex(stateDigest.digest()), settings.sealer(),
                    settings.gzipLevel());
        }
        Durable.force(temp);
        String checksum;
        if (settings.selfTest()) {
            checksum = selfTest(archiveMeta);
        } else {
            MessageDigest d = Digests.sha256();
            try (InputStream in = Files.newInputStream(temp)) {
                in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), d));
            }
            checksum = Digests.checksum(d.digest());
        }
        long archiveBytes = Files.size(temp);
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durable.forceDirectoryOf(out);
        writeSidecar(archiveMeta, checksum, archiveBytes);
        return new ArchiveSummary(out, archiveMeta, checksum, archiveBytes, settings.selfTest());
    }

    /** Re-reads the temporary archive as a restore would, and compares what it decodes with what was written. */
    private String selfTest(ArchiveMeta written) throws IOException {
        VerifiedArchive read;
        try (InputStream in = Files.newInputStream(temp)) {
            read = ArchiveReader.read(new BufferedInputStream(in, 1 << 16), settings.limits(),
                    settings.sealer(), Optional.of(r -> { }));
        } catch (ArchiveVerificationException e) {
            mismatch("the written archive does not verify: " + e.getMessage());
            throw e;
        }
        Optional<String> differs = difference(read, written);
        if (differs.isPresent()) {
            mismatch(differs.get());
            throw new ArchiveVerificationException("self-test failed: " + differs.get() + " (see " + out
                    + ".mismatch.txt)");
        }
        return read.checksum();
    }

    /** How what a restore reads differs from what was written, if it does. */
    private Optional<String> difference(VerifiedArchive read, ArchiveMeta written) {
        if (!read.counts().equals(writer.counts()) || !Arrays.equals(read.contentDigest(), writer.contentDigest())) {
            return Optional.of("wrote " + writer.counts() + " with content checksum "
                    + Digests.hex(writer.contentDigest()) + ", read back " + read.counts() + " with "
                    + Digests.hex(read.contentDigest()));
        }
        if (read.meta().index() != written.index() || read.meta().size() != written.size()) {
            return Optional.of("meta.json read back differs from the one written");
        }
        return Optional.empty();
    }

    /**
     * Streams the archive to {@code publisher}, read back as it goes when self-testing, and publishes it only then;
     * any failure leaves the publication unpublished (closing it discards it).
     */
    private ArchiveSummary publishStreamed(ArchiveMeta archiveMeta, ArchivePublisher publisher) throws IOException {
        SelfTestPipe test = settings.selfTest() ? SelfTestPipe.start(settings.limits(), settings.sealer()) : null;
        // the self-test's reader hashes the archive as it reads; without it the bytes are hashed on their way
        MessageDigest whole = Digests.sha256();
        long bytes;
        String checksum;
        try (ArchivePublisher.Publication publication = publisher.begin()) {
            Tee tee = new Tee(publication.stream(), test != null ? test.sink()
                    : new DigestOutputStream(OutputStream.nullOutputStream(), whole));
            try (OutputStream archive = new BufferedOutputStream(tee, 1 << 16)) {
                ArchiveWriter.write(archive, archiveMeta, spool, Digests.hex(stateDigest.digest()), settings.sealer(),
                        settings.gzipLevel());
            } catch (IOException e) {
                // a self-test that failed closed its pipe: its failure is the cause, not the closed pipe
                Optional<Throwable> cause = test == null ? Optional.empty() : test.failure();
                if (cause.isPresent() && cause.get() instanceof ArchiveVerificationException v) {
                    throw doesNotVerify(v);
                }
                throw e;
            }
            bytes = tee.bytes;
            if (test != null) {
                VerifiedArchive read;
                try {
                    read = test.finish();
                } catch (ArchiveVerificationException e) {
                    throw doesNotVerify(e);
                }
                Optional<String> differs = difference(read, archiveMeta);
                if (differs.isPresent()) {
                    throw new ArchiveVerificationException("self-test failed: " + differs.get() + "; "
                            + publisher.name() + " was not published");
                }
                checksum = read.checksum();
            } else {
                checksum = Digests.checksum(whole.digest());
            }
            publication.publish();
        }
        publisher.publishSidecar(ArchiveSidecar.render(archiveMeta, checksum, bytes));
        return new ArchiveSummary(out, archiveMeta, checksum, bytes, settings.selfTest());
    }

    private static ArchiveVerificationException doesNotVerify(ArchiveVerificationException e) {
        return new ArchiveVerificationException("self-test failed: the written archive does not verify: "
                + e.getMessage());
    }

    /** The archive's bytes to the publication and to the self-test (or a digest); closing it leaves the first open. */
    private static final class Tee extends OutputStream {
        private final OutputStream published;
        private final OutputStream tested;
        private long bytes;

        Tee(OutputStream published, OutputStream tested) {
            this.published = published;
            this.tested = tested;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            published.write(b, off, len);
            tested.write(b, off, len);
            bytes += len;
        }

        @Override
        public void flush() throws IOException {
            published.flush();
            tested.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            tested.close();
        }
    }


    private void mismatch(String why) throws IOException {
        PrivateFiles.write(out.resolveSibling(out.getFileName() + ".mismatch.txt"),
                ("raftpipe did not publish " + out + ": its self-test failed.\n" + why + "\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private void writeSidecar(ArchiveMeta m, String checksum, long archiveBytes) throws IOException {
        Path sidecar = ArchiveSidecar.of(out);
        Path tmp = TempOutput.beside(sidecar);
        PrivateFiles.write(tmp, ArchiveSidecar.render(m, checksum, archiveBytes));
        Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void closeWriterQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException | RuntimeException ignored) {
                // closed already, or the stream failed: the spool is removed anyway
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover .tmp- file is never at the published path
        }
    }
}
