package dev.raftpipe.codecs.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.wal.WalCorruptedException;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads a WAL archive (format 5, or 4) through to the end, into a member directory ({@code wal/}, {@code snap/}) or
 * only to check it, checking everything: entry names, order and kinds, sizes, every SHA-256 against SHA256SUMS
 * (which must list exactly what is there), the seal, decryption, and the WAL itself as its segments come: a clean
 * CRC chain, consecutive segments, and first and last index, last term, hard state, snapshot indexes, entry count
 * and content digest equal to the archive's facts. Any failure is an {@link ArchiveVerificationException} (or the
 * WAL reader's corruption error); the caller removes what was extracted.
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
            return WalArchiveMeta.isWal(new ObjectMapper()
                    .readTree(tar.readNBytes(SMALL_ENTRY_LIMIT)));
        } catch (IOException | RuntimeException notOne) {
            return false;
        }
    }

    /** What the archive states about itself (meta.json, and wal.json after the segments), unverified: what
     * {@code inspect} shows without a key. */
    public static WalArchiveMeta peekMeta(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(GzipLayer.input(in));
            TarArchiveEntry e = ArchiveReader.nextEntry(tar);
            if (e == null || !e.getName().equals(WalArchiveNames.META)) {
                throw new ArchiveVerificationException("the archive does not start with meta.json");
            }
            WalArchiveMeta.Parsed meta = WalArchiveMeta.parse(tar.readNBytes(SMALL_ENTRY_LIMIT));
            if (meta.facts().isPresent()) {
                return new WalArchiveMeta(meta.header(), meta.facts().get());
            }
            while ((e = ArchiveReader.nextEntry(tar)) != null) {
                if (e.getName().equals(WalArchiveNames.FACTS)) {
                    return new WalArchiveMeta(meta.header(), WalFacts.parse(tar.readNBytes(SMALL_ENTRY_LIMIT)));
                }
            }
            throw new ArchiveVerificationException("the WAL archive is truncated: it lacks " + WalArchiveNames.FACTS);
        } catch (IOException e) {
            throw new ArchiveVerificationException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks the whole archive into a member directory.
     *
     * @param member a directory that does not exist yet: {@code member/…} entries land in it as {@code wal/…} and
     *               {@code snap/…}
     */
    public static WalArchiveMeta extract(Path archive, Path member, ArchiveLimits limits, Optional<Sealer> sealer)
            throws IOException {
        PrivateFiles.createDirectories(member.resolve("wal"));
        PrivateFiles.createDirectories(member.resolve("snap"));
        return read(archive, member, true, limits, sealer).meta();
    }

    /** A WAL archive read through and found sound. @param checksum the whole file's, {@code sha-256=<base64>} */
    public record Verified(WalArchiveMeta meta, String checksum) {
    }

    /**
     * Reads and checks the whole archive as {@link #extract} does, keeping nothing: the db and .snap files are
     * only hashed, each WAL segment is spooled into {@code scratch} (which must exist) while it is read, then
     * removed, so the disk holds one segment at a time.
     */
    public static Verified verify(Path archive, Path scratch, ArchiveLimits limits, Optional<Sealer> sealer)
            throws IOException {
        return read(archive, scratch, false, limits, sealer);
    }

    private static Verified read(Path archive, Path dir, boolean keep, ArchiveLimits limits, Optional<Sealer> sealer)
            throws IOException {
        try (BackgroundDigestInputStream file = new BackgroundDigestInputStream(
                new ArchiveReader.FileFailures(Files.newInputStream(archive)), Digests.sha256())) {
            WalArchiveMeta meta = readTar(file, dir, keep, limits, sealer);
            file.transferTo(OutputStream.nullOutputStream());
            return new Verified(meta, Digests.checksum(file.digest()));
        } catch (WalCorruptedException e) {
            // the segment was spooled into a private directory that is gone by now: name the archive's member
            throw new ArchiveVerificationException("WAL corrupted in " + archive + " (member/wal/"
                    + e.segment().getFileName() + ") at offset " + e.offset() + ": " + e.reason(), e);
        } catch (UncheckedIOException fileTrouble) {
            throw fileTrouble.getCause();
        } catch (IOException e) {
            throw new ArchiveVerificationException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    private static WalArchiveMeta readTar(InputStream file, Path dir, boolean keep, ArchiveLimits limits,
                                          Optional<Sealer> sealer) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(GzipLayer.input(file));
        Map<String, String> hashes = new HashMap<>();
        WalContent.Reading wal = new WalContent.Reading();
        WalArchiveMeta.Parsed meta = null;
        WalFacts facts = null;
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
                        + "member/snap/db, .snap files, WAL segments, wal.json, SHA256SUMS, SHA256SUMS.sealed)");
            }
            if (!e.isFile() || e.isLink() || e.isSymbolicLink()) {
                throw new ArchiveVerificationException(name + " is not a regular file in the archive");
            }
            long max = WalArchiveNames.isMemberFile(r) ? limits.maxStateBytes() : SMALL_ENTRY_LIMIT;
            if (e.getSize() > max) {
                throw new ArchiveVerificationException(name + " is " + e.getSize() + " bytes, over the limit of " + max);
            }
            rank = r;
            last = name;
            if (!WalArchiveNames.isMemberFile(r)) {
                byte[] bytes = tar.readNBytes(SMALL_ENTRY_LIMIT);
                hashes.put(name, Digests.hex(Digests.sha256().digest(bytes)));
                if (r == 0) {
                    meta = WalArchiveMeta.parse(bytes);
                    facts = meta.facts().orElse(null);
                } else if (r == WalArchiveNames.RANK_FACTS) {
                    if (meta.header().format() == WalArchiveMeta.FORMAT_FACTS_IN_META) {
                        throw new ArchiveVerificationException("the WAL archive holds " + name + ", which format "
                                + WalArchiveMeta.FORMAT_FACTS_IN_META + " keeps in meta.json");
                    }
                    facts = WalFacts.parse(bytes);
                } else if (r == WalArchiveNames.RANK_SUMS) {
                    sums = bytes;
                } else {
                    sealed = bytes;
                }
                continue;
            }
            Path target = memberFile(dir, keep, name);
            hashes.put(name, copy(tar, name, target, meta.header(), sealer));
            if (r == WalArchiveNames.RANK_SEGMENT) {
                wal.add(WalSegment.parse(target).orElseThrow());
            }
            if (!keep && target != null) {
                Files.delete(target);
            }
        }
        if (meta == null || facts == null || sums == null) {
            throw new ArchiveVerificationException("the WAL archive is truncated: it lacks "
                    + (meta == null ? "meta.json" : facts == null ? WalArchiveNames.FACTS : "SHA256SUMS"));
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
        if (!meta.header().sealer().equals(sealer.map(Sealer::kind).orElse("none"))) {
            throw new ArchiveVerificationException("meta.json names the sealer " + meta.header().sealer()
                    + " but the archive was opened with " + sealer.map(Sealer::kind).orElse("none"));
        }
        if (wal.isEmpty()) {
            throw new ArchiveVerificationException("the WAL archive holds no WAL segment");
        }
        Optional<String> differs = facts.difference(wal.finish());
        if (differs.isPresent()) {
            throw new ArchiveVerificationException("the WAL read back differs from the archive's facts: "
                    + differs.get());
        }
        return new WalArchiveMeta(meta.header(), facts);
    }

    /** Where a member file goes: into the member directory, or (checking only) a segment into scratch, else nowhere. */
    private static Path memberFile(Path dir, boolean keep, String name) {
        if (keep) {
            return dir.resolve(name.substring("member/".length()));
        }
        return WalArchiveNames.isSegment(name) ? dir.resolve(name.substring("member/wal/".length())) : null;
    }

    /** Copies one member file out of the tar (decrypted, decompressed) to {@code target} or nowhere; its stored
     * bytes' SHA-256. */
    private static String copy(TarArchiveInputStream tar, String name, Path target, WalArchiveMeta.Header header,
                               Optional<Sealer> sealer) throws IOException {
        BackgroundDigestInputStream hashed = new BackgroundDigestInputStream(new NonClosing(tar), Digests.sha256());
        try {
            return copy(hashed, name, target, header, sealer);
        } finally {
            hashed.abandon();
        }
    }

    private static String copy(BackgroundDigestInputStream stored, String name, Path target,
                               WalArchiveMeta.Header header, Optional<Sealer> sealer) throws IOException {
        InputStream decrypted = stored;
        boolean compressed = false;
        if (!(header.encryption() instanceof WalArchiveMeta.Encryption.None)) {
            StateCipher cipher = sealer.flatMap(Sealer::stateCipher).orElseThrow(() ->
                    new ArchiveVerificationException("the WAL archive is encrypted: give its key (--key-file with "
                            + "--seal aes-gcm) to read it"));
            if (header.encryption() instanceof WalArchiveMeta.Encryption.ByName b) {
                decrypted = cipher.decryptingNamed(stored, b.archive(), name);
                compressed = b.compressed();
            } else if (header.encryption() instanceof WalArchiveMeta.Encryption.PerFile p
                    && p.files().containsKey(name)) {
                decrypted = cipher.decrypting(stored, p.files().get(name), name);
                compressed = p.compressed();
            }
        }
        InputStream plain = compressed ? new GZIPInputStream(new NonClosing(decrypted), 1 << 16)
                : decrypted;
        try (OutputStream out = target == null ? OutputStream.nullOutputStream()
                : PrivateFiles.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            plain.transferTo(out);
        }
        // the last encrypted chunk authenticates only when read: always to the end
        decrypted.transferTo(OutputStream.nullOutputStream());
        stored.transferTo(OutputStream.nullOutputStream());
        return Digests.hex(stored.digest());
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
