package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.wal.WalSegment;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a WAL archive through to the end into a member directory ({@code wal/}, {@code snap/}), checking everything:
 * entry names, order and kinds, sizes, every SHA-256 against SHA256SUMS (which must list exactly what is there), the
 * seal, decryption, and then the WAL itself: a clean CRC chain, consecutive segments, and first and last index, last
 * term, hard state, entry count and content digest equal to meta.json's. Any failure is an
 * {@link ArchiveVerificationException}; the caller removes what was extracted.
 */
public final class WalArchiveReader {
    private static final int SMALL_ENTRY_LIMIT = 1 << 20;

    private WalArchiveReader() {
    }

    /** Whether the archive is a WAL archive (its meta.json says kind wal), read without verifying anything. */
    public static boolean isWalArchive(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(GzipLayer.input(in));
            TarArchiveEntry e = ArchiveReader.nextEntry(tar);
            if (e == null || !e.getName().equals(WalArchiveNames.META)) {
                return false;
            }
            return WalArchiveMeta.isWal(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(tar.readNBytes(SMALL_ENTRY_LIMIT)));
        } catch (IOException | RuntimeException notOne) {
            return false;
        }
    }

    /** meta.json as the archive states it, unverified (what {@code inspect} shows without a key). */
    public static WalArchiveMeta peekMeta(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(GzipLayer.input(in));
            TarArchiveEntry e = ArchiveReader.nextEntry(tar);
            if (e == null || !e.getName().equals(WalArchiveNames.META)) {
                throw new ArchiveVerificationException("the archive does not start with meta.json");
            }
            return WalArchiveMeta.parse(tar.readNBytes(SMALL_ENTRY_LIMIT));
        } catch (IOException e) {
            throw new ArchiveVerificationException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * @param member a directory that does not exist yet: {@code member/…} entries land in it as {@code wal/…} and
     *               {@code snap/…}
     */
    public static WalArchiveMeta extract(Path archive, Path member, ArchiveLimits limits, Optional<Sealer> sealer)
            throws IOException {
        PrivateFiles.createDirectories(member.resolve("wal"));
        PrivateFiles.createDirectories(member.resolve("snap"));
        WalArchiveMeta meta;
        try (InputStream file = Files.newInputStream(archive)) {
            meta = readTar(new ArchiveReader.FileFailures(file), member, limits, sealer);
        } catch (UncheckedIOException fileTrouble) {
            throw fileTrouble.getCause();
        } catch (IOException e) {
            throw new ArchiveVerificationException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
        checkWal(member.resolve("wal"), meta);
        return meta;
    }

    private static WalArchiveMeta readTar(InputStream file, Path member, ArchiveLimits limits, Optional<Sealer> sealer)
            throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(GzipLayer.input(file));
        Map<String, String> hashes = new HashMap<>();
        WalArchiveMeta meta = null;
        byte[] sums = null;
        byte[] sealed = null;
        int rank = -1;
        String last = "";
        TarArchiveEntry e;
        while ((e = ArchiveReader.nextEntry(tar)) != null) {
            String name = e.getName();
            int r = WalArchiveNames.rank(name);
            if (hashes.containsKey(name)) {
                throw new ArchiveVerificationException("the WAL archive holds " + name + " twice");
            }
            if (r < rank || (r == rank && name.compareTo(last) <= 0) || (rank < 0 && r != 0)) {
                throw new ArchiveVerificationException("the WAL archive holds " + name + " out of order (meta.json, "
                        + "member/snap/db, .snap files, WAL segments, SHA256SUMS, SHA256SUMS.sealed)");
            }
            if (!e.isFile() || e.isLink() || e.isSymbolicLink()) {
                throw new ArchiveVerificationException(name + " is not a regular file in the archive");
            }
            long max = r == 0 || r >= 4 ? SMALL_ENTRY_LIMIT : limits.maxStateBytes();
            if (e.getSize() > max) {
                throw new ArchiveVerificationException(name + " is " + e.getSize() + " bytes, over the limit of " + max);
            }
            rank = r;
            last = name;
            if (r == 0 || r >= 4) {
                byte[] bytes = tar.readNBytes(SMALL_ENTRY_LIMIT);
                hashes.put(name, Digests.hex(Digests.sha256().digest(bytes)));
                if (r == 0) {
                    meta = WalArchiveMeta.parse(bytes);
                } else if (r == 4) {
                    sums = bytes;
                } else {
                    sealed = bytes;
                }
                continue;
            }
            MessageDigest d = Digests.sha256();
            InputStream stored = new NonClosing(new DigestInputStream(tar, d));
            Optional<StateCipher.Parameters> enc = meta.encryptionOf(name);
            InputStream decrypted = stored;
            if (enc.isPresent()) {
                StateCipher cipher = sealer.flatMap(Sealer::stateCipher).orElseThrow(() ->
                        new ArchiveVerificationException("the WAL archive is encrypted: give its key (--key-file with "
                                + "--seal aes-gcm) to read it"));
                decrypted = cipher.decrypting(stored, enc.get(), name);
            }
            InputStream plain = enc.isPresent() && meta.compressed()
                    ? new java.util.zip.GZIPInputStream(new NonClosing(decrypted), 1 << 16) : decrypted;
            Path target = member.resolve(name.substring("member/".length()));
            try (OutputStream out = PrivateFiles.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                plain.transferTo(out);
            }
            // the last encrypted chunk authenticates only when read: always to the end
            decrypted.transferTo(OutputStream.nullOutputStream());
            stored.transferTo(OutputStream.nullOutputStream());
            hashes.put(name, Digests.hex(d.digest()));
        }
        if (meta == null || sums == null) {
            throw new ArchiveVerificationException("the WAL archive is truncated: it lacks "
                    + (meta == null ? "meta.json" : "SHA256SUMS"));
        }
        Map<String, String> listed = Sha256Sums.parseWithPaths(sums);
        for (Map.Entry<String, String> h : hashes.entrySet()) {
            if (h.getKey().equals(WalArchiveNames.SUMS) || h.getKey().equals(WalArchiveNames.SEALED)) {
                continue;
            }
            if (!h.getValue().equals(listed.get(h.getKey()))) {
                throw new ArchiveVerificationException(h.getKey() + (listed.containsKey(h.getKey())
                        ? " does not match its SHA-256 in SHA256SUMS" : " is not listed in SHA256SUMS"));
            }
        }
        for (String name : listed.keySet()) {
            if (!hashes.containsKey(name)) {
                throw new ArchiveVerificationException("SHA256SUMS lists " + name + ", which the archive lacks");
            }
        }
        ArchiveReader.checkSeal(sealer, sealed, sums);
        if (!meta.sealer().equals(sealer.map(Sealer::kind).orElse("none"))) {
            throw new ArchiveVerificationException("meta.json names the sealer " + meta.sealer() + " but the archive "
                    + "was opened with " + sealer.map(Sealer::kind).orElse("none"));
        }
        return meta;
    }

    /** The extracted WAL against meta.json: every record sound, the segments consecutive, the same entries. */
    private static void checkWal(Path walDir, WalArchiveMeta meta) throws IOException {
        List<WalSegment> segments = WalSegment.list(walDir);
        if (segments.isEmpty()) {
            throw new ArchiveVerificationException("the WAL archive holds no WAL segment");
        }
        for (int i = 1; i < segments.size(); i++) {
            if (segments.get(i).seq() != segments.get(i - 1).seq() + 1) {
                throw new ArchiveVerificationException("the WAL archive's segments do not follow each other: "
                        + segments.get(i - 1).name() + " then " + segments.get(i).name());
            }
        }
        WalContent read = WalContent.read(segments);
        if (!read.contentDigest().equals(meta.contentDigest()) || read.digest().elements() != meta.entries()
                || read.firstIndex() != meta.firstIndex() || read.lastIndex() != meta.lastIndex()
                || read.lastTerm() != meta.lastTerm() || !read.hardState().equals(meta.hardState())) {
            throw new ArchiveVerificationException("the WAL read back differs from meta.json: entries "
                    + read.firstIndex() + ".." + read.lastIndex() + " (" + read.digest().elements() + ", last term "
                    + read.lastTerm() + ", " + read.hardState() + ") vs " + meta.firstIndex() + ".." + meta.lastIndex()
                    + " (" + meta.entries() + ", last term " + meta.lastTerm() + ", " + meta.hardState() + ")"
                    + (read.contentDigest().equals(meta.contentDigest()) ? "" : ", content digest differs"));
        }
    }

    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the tar goes on after an entry
        }
    }
}
