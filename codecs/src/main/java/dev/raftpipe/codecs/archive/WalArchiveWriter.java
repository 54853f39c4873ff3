package dev.raftpipe.codecs.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a WAL archive (format 5) as its files arrive: gzip around a tar of meta.json, then each member file as it
 * is added ({@code member/snap/db}, its {@code .snap} files, then WAL segments, in that order and by name), then at
 * {@link #finish} wal.json (the facts, known only now), SHA256SUMS (of the bytes as stored) and, sealed,
 * SHA256SUMS.sealed; each 0600. Nothing of a file is kept after it is added but its SHA-256. With a sealer that
 * encrypts (aes-gcm), every file is gzip-compressed beside itself, then encrypted under its own key, derived from
 * the archive's data key and its name.
 */
public final class WalArchiveWriter implements Closeable {
    private final TarArchiveOutputStream tar;
    private final Optional<Sealer> sealer;
    private final Optional<StateCipher.NewArchive> cipher;
    private final WalArchiveMeta.Header header;
    private final int gzipLevel;
    private final Date mtime;
    private final Map<String, String> sums = new TreeMap<>();
    private int rank;
    private String last = "";
    private boolean finished;

    private WalArchiveWriter(TarArchiveOutputStream tar, Optional<Sealer> sealer,
                             Optional<StateCipher.NewArchive> cipher, WalArchiveMeta.Header header, int gzipLevel) {
        this.tar = tar;
        this.sealer = sealer;
        this.cipher = cipher;
        this.header = header;
        this.gzipLevel = gzipLevel;
        this.mtime = new Date(header.createdMillis());
    }

    /** Starts an archive in {@code out} (which the caller closes) by writing its meta.json. */
    public static WalArchiveWriter start(OutputStream out, String producer, long createdMillis,
                                         Optional<Sealer> sealer, int chunkBytes, int gzipLevel) throws IOException {
        Optional<StateCipher.NewArchive> cipher = sealer.flatMap(Sealer::stateCipher)
                .map(c -> c.newArchive(chunkBytes));
        WalArchiveMeta.Header header = new WalArchiveMeta.Header(WalArchiveMeta.FORMAT, producer, createdMillis,
                sealer.map(Sealer::kind).orElse("none"), cipher.<WalArchiveMeta.Encryption>map(c ->
                new WalArchiveMeta.Encryption.ByName(c.parameters(), true)).orElse(new WalArchiveMeta.Encryption.None()));
        // encrypted files were compressed before encryption: the outer layer then only stores
        TarArchiveOutputStream tar = new TarArchiveOutputStream(GzipLayer.output(out,
                cipher.isPresent() ? 0 : gzipLevel), 512);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
        WalArchiveWriter w = new WalArchiveWriter(tar, sealer, cipher, header, gzipLevel);
        w.put(WalArchiveNames.META, header.toJson());
        return w;
    }

    /** Adds a member file under its archive name ({@link WalArchiveNames}), after every file added before. */
    public void add(String name, Path file) throws IOException {
        int r;
        try {
            r = WalArchiveNames.rank(name);
        } catch (ArchiveVerificationException unknown) {
            throw new IllegalArgumentException(unknown.getMessage());
        }
        if (finished || !WalArchiveNames.isMemberFile(r) || r < rank || (r == rank && name.compareTo(last) <= 0)) {
            throw new IllegalArgumentException(name + " cannot follow " + (last.isEmpty() ? "meta.json" : last)
                    + (finished ? " in a finished archive" : ""));
        }
        // an encrypted file is compressed first, beside itself: its stored size must be known up front
        Path source = cipher.isPresent() ? compressed(file, gzipLevel) : file;
        try {
            long plain = Files.size(source);
            long stored = cipher.isPresent() ? StateCipher.storedSize(plain,
                    cipher.get().parameters().chunkBytes()) : plain;
            tar.putArchiveEntry(ArchiveWriter.entry(name, stored, mtime));
            MessageDigest d = Digests.sha256();
            OutputStream hashed = new Hashing(tar, d);
            try (InputStream in = Files.newInputStream(source);
                 OutputStream body = cipher.isPresent() ? cipher.get().encrypting(new KeepOpen(hashed), name)
                         : new KeepOpen(hashed)) {
                in.transferTo(body);
            }
            tar.closeArchiveEntry();
            sums.put(name, Digests.hex(d.digest()));
        } finally {
            if (cipher.isPresent()) {
                Files.deleteIfExists(source);
            }
        }
        rank = r;
        last = name;
    }

    /** Writes wal.json, SHA256SUMS and the seal, and ends the tar and gzip streams. */
    public WalArchiveMeta finish(WalFacts facts) throws IOException {
        if (finished) {
            throw new IllegalStateException("finished already");
        }
        finished = true;
        put(WalArchiveNames.FACTS, facts.toJson());
        byte[] sumsBytes = Sha256Sums.render(sums);
        ArchiveWriter.put(tar, WalArchiveNames.SUMS, sumsBytes, mtime);
        if (sealer.isPresent()) {
            ArchiveWriter.put(tar, WalArchiveNames.SEALED, sealer.get().seal(sumsBytes), mtime);
        }
        tar.close();
        return new WalArchiveMeta(header, facts);
    }

    /** After {@link #finish}, nothing; before it, ends the streams of an archive that is being abandoned. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            tar.close();
        }
    }

    private void put(String name, byte[] bytes) throws IOException {
        sums.put(name, Digests.hex(Digests.sha256().digest(bytes)));
        ArchiveWriter.put(tar, name, bytes, mtime);
    }

    private static Path compressed(Path file, int level) throws IOException {
        Path spool = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".gz");
        try (InputStream in = Files.newInputStream(file);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(spool), 1 << 16) {
                 {
                     def.setLevel(level);
                 }
             }) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
        return spool;
    }

    /** Hashes what goes into the tar entry. */
    private static final class Hashing extends FilterOutputStream {
        private final MessageDigest digest;

        Hashing(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            digest.update((byte) b);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            out.write(b, off, len);
        }
    }

    /** The tar goes on after an entry: closing the entry's stream must not close it. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
