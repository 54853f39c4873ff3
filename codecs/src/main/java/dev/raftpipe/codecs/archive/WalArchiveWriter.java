package dev.raftpipe.codecs.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a WAL archive: gzip around a tar of meta.json, the member's files ({@code member/snap/db}, its
 * {@code .snap} files, its WAL segments, in that order and by name) and SHA256SUMS (of the bytes as stored) with,
 * when sealed, SHA256SUMS.sealed; each 0600. With a sealer that encrypts (aes-gcm) every file is encrypted under a
 * data key and nonce prefix of its own, which meta.json records (the data keys wrapped).
 */
public final class WalArchiveWriter {
    private WalArchiveWriter() {
    }

    /**
     * @param files the stored names ({@link WalArchiveNames}) and the files to store under them, in archive order
     * @return meta.json as written, with the files' encryption
     */
    public static WalArchiveMeta write(OutputStream out, WalArchiveMeta meta, Map<String, Path> files,
                                       Optional<Sealer> sealer, int chunkBytes, int gzipLevel) throws IOException {
        Optional<StateCipher> cipher = sealer.flatMap(Sealer::stateCipher);
        Map<String, StateCipher.NewFile> keys = new LinkedHashMap<>();
        Map<String, StateCipher.Parameters> encryption = new LinkedHashMap<>();
        for (String name : files.keySet()) {
            WalArchiveNames.check(name);
            cipher.ifPresent(c -> {
                StateCipher.NewFile f = c.newFile(chunkBytes);
                keys.put(name, f);
                encryption.put(name, f.parameters());
            });
        }
        WalArchiveMeta written = new WalArchiveMeta(meta.format(), meta.producer(), meta.createdMillis(),
                meta.clusterId(), meta.memberId(), meta.firstIndex(), meta.lastIndex(), meta.lastTerm(),
                meta.hardState(), meta.snapshotIndexes(), meta.dbConsistentIndex(), meta.contentDigest(),
                meta.entries(), sealer.map(Sealer::kind).orElse("none"), encryption, cipher.isPresent());
        byte[] metaJson = written.toJson();
        Map<String, String> sums = new TreeMap<>();
        sums.put(WalArchiveNames.META, Digests.hex(Digests.sha256().digest(metaJson)));
        Date mtime = new Date(meta.createdMillis());
        // encrypted files were compressed before encryption: the outer layer then only stores
        int outerLevel = cipher.isPresent() ? 0 : gzipLevel;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(GzipLayer.output(out, outerLevel), 512)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
            ArchiveWriter.put(tar, WalArchiveNames.META, metaJson, mtime);
            for (Map.Entry<String, Path> f : files.entrySet()) {
                StateCipher.NewFile key = keys.get(f.getKey());
                // an encrypted file is compressed first, beside itself: its stored size must be known up front
                Path source = key == null ? f.getValue() : compressed(f.getValue(), gzipLevel);
                try {
                    long plain = Files.size(source);
                    long stored = key == null ? plain : StateCipher.storedSize(plain, chunkBytes);
                    tar.putArchiveEntry(ArchiveWriter.entry(f.getKey(), stored, mtime));
                    MessageDigest d = Digests.sha256();
                    OutputStream hashed = new Hashing(tar, d);
                    try (InputStream in = Files.newInputStream(source);
                         OutputStream body = key == null ? new KeepOpen(hashed)
                                 : key.encrypting(new KeepOpen(hashed), f.getKey())) {
                        in.transferTo(body);
                    }
                    tar.closeArchiveEntry();
                    sums.put(f.getKey(), Digests.hex(d.digest()));
                } finally {
                    if (key != null) {
                        Files.deleteIfExists(source);
                    }
                }
            }
            byte[] sumsBytes = Sha256Sums.render(sums);
            ArchiveWriter.put(tar, WalArchiveNames.SUMS, sumsBytes, mtime);
            if (sealer.isPresent()) {
                ArchiveWriter.put(tar, WalArchiveNames.SEALED, sealer.get().seal(sumsBytes), mtime);
            }
            tar.finish();
        }
        return written;
    }

    private static Path compressed(Path file, int level) throws IOException {
        Path spool = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".gz");
        try (InputStream in = Files.newInputStream(file);
             OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(spool), 1 << 16) {
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
