package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateRecord;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an archive through to the end, checking everything, in constant memory: entry names and
 * kinds, sizes and the decompression ratio, every SHA-256, the seal, the format version, and (when a
 * consumer is given) every state.bin record. Records reach the consumer before the final checks, so a
 * consumer must treat them as provisional until {@link #read} returns.
 */
public final class ArchiveReader {
    private static final int SMALL_ENTRY_LIMIT = 1 << 20;

    /** Receives state.bin's records as they are decoded. */
    public interface StateConsumer {
        /** Failures of the consumer's own (a full disk…) must be unchecked, to stay apart from bad bytes. */
        void accept(StateRecord record);
    }

    private ArchiveReader() {
    }

    /**
     * @param sealer the sealer to open SHA256SUMS.sealed with; when present the archive must be sealed,
     *               when absent it must not be
     * @param consumer decodes state.bin and hands each record over; empty to check hashes only
     */
    public static VerifiedArchive read(InputStream file, ArchiveLimits limits, Optional<Sealer> sealer,
                                       Optional<StateConsumer> consumer) throws IOException {
        BackgroundDigestInputStream whole = new BackgroundDigestInputStream(new FileFailures(file), Digests.sha256());
        CountingStream compressed = new CountingStream(whole);
        try {
            RatioGuard inflated = new RatioGuard(GzipLayer.input(compressed), compressed, limits);
            return readTar(inflated, compressed, whole, limits, sealer, consumer);
        } catch (UncheckedIOException fileTrouble) {
            throw fileTrouble.getCause();
        } catch (IOException e) {
            // every other IOException comes from the layers: truncated gzip or tar, bad CRC, bad block
            throw new ArchiveVerificationException("the archive is truncated or corrupt: " + e.getMessage(), e);
        } finally {
            whole.abandon();
        }
    }

    /**
     * The sealer kind meta.json names, read without verifying anything: only to pick the algorithm a
     * given key is for. The full read still decides whether the archive is sound.
     */
    public static String peekSealer(InputStream file) throws IOException {
        return peekMeta(file).sealer();
    }

    /**
     * meta.json as the archive states it, read without verifying anything: what {@code inspect} shows of a sealed
     * archive without its key (the public part; state.bin of an aes-gcm archive is encrypted).
     */
    public static ArchiveMeta peekMeta(InputStream file) throws IOException {
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(GzipLayer.input(new FileFailures(file)));
            TarArchiveEntry e = nextEntry(tar);
            if (e == null || !e.getName().equals(ArchiveEntries.META)) {
                throw new ArchiveVerificationException("the archive does not start with meta.json");
            }
            return ArchiveMeta.parse(tar.readNBytes(SMALL_ENTRY_LIMIT));
        } catch (UncheckedIOException fileTrouble) {
            throw fileTrouble.getCause();
        } catch (IOException e) {
            throw new ArchiveVerificationException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    private static VerifiedArchive readTar(RatioGuard inflated, CountingStream compressed, BackgroundDigestInputStream whole,
                                           ArchiveLimits limits, Optional<Sealer> sealer,
                                           Optional<StateConsumer> consumer) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(inflated);
        Map<String, String> hashes = new HashMap<>();
        byte[] metaJson = null;
        byte[] sums = null;
        byte[] sealed = null;
        long stateBytes = -1;
        StateCounts counts = StateCounts.ZERO;
        byte[] contentDigest = new byte[0];
        TarArchiveEntry e;
        RuntimeException decodeFailure = null;
        StateFacts facts = new StateFacts();
        int position = 0;
        while ((e = nextEntry(tar)) != null) {
            String name = checkEntry(e, hashes.keySet(), limits);
            if (position >= ArchiveEntries.ALL.size() || !ArchiveEntries.ALL.get(position).equals(name)) {
                throw new ArchiveVerificationException("the archive holds " + name + " where "
                        + (position < ArchiveEntries.ALL.size() ? ArchiveEntries.ALL.get(position) : "its end")
                        + " belongs (meta.json, state.bin, SHA256SUMS and, when sealed, SHA256SUMS.sealed, in that order)");
            }
            position++;
            if (name.equals(ArchiveEntries.STATE)) {
                BackgroundDigestInputStream hashed = new BackgroundDigestInputStream(tar, Digests.sha256());
                CountingStream body = new CountingStream(hashed);
                try { // the hashing thread ends with the entry, whatever happens
                    if (consumer.isPresent()) {
                        try {
                            InputStream plain = plainState(metaJson, sealer, new NonClosing(body));
                            try (StateFileReader records = StateFileReader.open(plain)) {
                                for (StateRecord r = records.next(); r != null; r = records.next()) {
                                    facts.note(r);
                                    consumer.get().accept(r);
                                }
                                counts = records.counts();
                                contentDigest = records.contentDigest();
                                facts.contentChecksum = records.contentChecksum();
                            }
                            // an encrypted file authenticates its last chunk only when it is read: to the end, always
                            plain.transferTo(OutputStream.nullOutputStream());
                        } catch (ArchiveVerificationException | IOException | org.apache.avro.AvroRuntimeException bad) {
                            // reported only if state.bin's sum holds: a decode error of bytes that fail their sum is that
                            decodeFailure = bad instanceof ArchiveVerificationException v ? v
                                    : new ArchiveVerificationException("state.bin cannot be decoded: "
                                    + String.valueOf(bad.getMessage()).replaceAll("\\s+", " ").trim(), bad);
                        }
                    }
                    body.transferTo(OutputStream.nullOutputStream());
                    stateBytes = body.count;
                    hashes.put(name, Digests.hex(hashed.digest()));
                } finally {
                    hashed.abandon();
                }
            } else {
                byte[] bytes = tar.readNBytes(SMALL_ENTRY_LIMIT);
                hashes.put(name, Digests.hex(Digests.sha256().digest(bytes)));
                switch (name) {
                    case ArchiveEntries.META -> metaJson = ArchiveMeta.refuseWalArchive(bytes);
                    case ArchiveEntries.SUMS -> sums = bytes;
                    default -> sealed = bytes;
                }
            }
        }
        // read to the end, so the gzip trailer (CRC-32 and length) is checked too
        inflated.transferTo(OutputStream.nullOutputStream());
        if (compressed.transferTo(OutputStream.nullOutputStream()) > 0) {
            throw new ArchiveVerificationException("the archive has bytes after its gzip stream");
        }

        for (String required : new String[]{ArchiveEntries.META, ArchiveEntries.STATE, ArchiveEntries.SUMS}) {
            if (!hashes.containsKey(required)) {
                throw new ArchiveVerificationException("the archive has no " + required);
            }
        }
        Map<String, String> listed = Sha256Sums.parse(sums);
        if (!listed.keySet().equals(new TreeSet<>(List.of(ArchiveEntries.META, ArchiveEntries.STATE)))) {
            throw new ArchiveVerificationException("SHA256SUMS lists " + listed.keySet() + ", not meta.json and state.bin");
        }
        listed.forEach((name, hex) -> {
            if (!hex.equals(hashes.get(name))) {
                throw new ArchiveVerificationException("SHA-256 mismatch for " + name + ": SHA256SUMS says " + hex
                        + ", the archive holds " + hashes.get(name));
            }
        });
        checkSeal(sealer, sealed, sums);
        if (decodeFailure != null) {
            throw decodeFailure;
        }
        ArchiveMeta meta = ArchiveMeta.parse(metaJson);
        if (meta.sealer().equals("none") != (sealed == null)
                || sealer.isPresent() && !meta.sealer().equals(sealer.get().kind())) {
            throw new ArchiveVerificationException("meta.json names the sealer '" + meta.sealer() + "', but the archive "
                    + (sealed == null ? "is not sealed" : "is sealed with " + sealer.map(Sealer::kind).orElse("a seal")));
        }
        if (consumer.isPresent()) {
            facts.check(meta);
        }
        if (meta.size() != stateBytes) {
            throw new ArchiveVerificationException("meta.json says state.bin has " + meta.size() + " bytes, it has "
                    + stateBytes);
        }
        if (consumer.isPresent() && !counts.equals(meta.counts())) {
            throw new ArchiveVerificationException("state.bin holds " + counts + ", meta.json says " + meta.counts());
        }
        if (consumer.isPresent() && meta.contentDigest().isPresent()
                && !meta.contentDigest().get().equals(facts.contentChecksum)) {
            throw new ArchiveVerificationException("state.bin's records digest to " + facts.contentChecksum
                    + ", meta.json says " + meta.contentDigest().get());
        }
        return new VerifiedArchive(meta, Digests.checksum(whole.digest()), compressed.count, stateBytes, counts,
                contentDigest, sealer.map(Sealer::kind).orElse("none"));
    }

    /** What state.bin says that meta.json repeats: they must agree, sealed or not. */
    private static final class StateFacts {
        private StateRecord.Meta meta;
        /** state.bin's records' content digest, as meta.json's {@code content_digest} names it. */
        private String contentChecksum = "";
        private final List<ArchiveMeta.Server> servers = new ArrayList<>();

        void note(StateRecord r) {
            if (r instanceof StateRecord.Meta m) {
                meta = m;
            } else if (r instanceof StateRecord.Member m) {
                servers.add(new ArchiveMeta.Server(m.id(), m.peerUrls().isEmpty() ? "" : m.peerUrls().get(0),
                        m.isLearner() ? 1 : 0));
            }
        }

        void check(ArchiveMeta m) {
            if (meta == null) {
                throw new ArchiveVerificationException("state.bin holds no meta record: the file is cut short or not "
                        + "a raftpipe state file");
            }
            disagree("Index", m.index(), meta.consistentIndex());
            disagree("Term", m.term(), meta.term());
            disagree("revision", m.revision(), meta.revision());
            disagree("compact_revision", m.compactRevision(), meta.compactRevision());
            if (!m.servers().equals(servers)) {
                throw new ArchiveVerificationException("meta.json's Configuration " + m.servers()
                        + " differs from the members in state.bin " + servers);
            }
        }

        private static void disagree(String field, long inMeta, long inState) {
            if (inMeta != inState) {
                throw new ArchiveVerificationException("meta.json says " + field + " " + inMeta + ", state.bin says "
                        + inState);
            }
        }
    }

    /**
     * state.bin's plaintext: decrypted when meta.json (which must come first) says it is encrypted, which needs
     * a sealer that holds the key.
     */
    private static InputStream plainState(byte[] metaJson, Optional<Sealer> sealer, InputStream stored) {
        if (metaJson == null) {
            throw new ArchiveVerificationException("state.bin comes before meta.json: not an archive raftpipe wrote");
        }
        Optional<StateCipher.Parameters> encryption = ArchiveMeta.parse(metaJson).encryption();
        if (encryption.isEmpty()) {
            return stored;
        }
        StateCipher cipher = sealer.flatMap(Sealer::stateCipher).orElseThrow(() -> new ArchiveVerificationException(
                "state.bin is encrypted (" + encryption.get().algorithm() + "): give the archive's key (--key-file "
                        + "with --seal aes-gcm) to read it"));
        return cipher.decrypting(stored, encryption.get(), ArchiveEntries.STATE);
    }

    static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException | ArithmeticException malformed) {
            throw new ArchiveVerificationException("the tar layer is malformed: " + malformed.getMessage(), malformed);
        }
    }

    private static String checkEntry(TarArchiveEntry e, Set<String> seen, ArchiveLimits limits) {
        String name = e.getName();
        if (!ArchiveEntries.ALL.contains(name)) {
            throw new ArchiveVerificationException("the archive holds an unexpected entry " + printable(name));
        }
        if (seen.contains(name)) {
            throw new ArchiveVerificationException("the archive holds " + name + " twice");
        }
        if (!e.isFile() || e.isLink() || e.isSymbolicLink()) {
            throw new ArchiveVerificationException(name + " is not a regular file in the archive");
        }
        long max = name.equals(ArchiveEntries.STATE) ? limits.maxStateBytes() : SMALL_ENTRY_LIMIT;
        if (e.getSize() > max) {
            throw new ArchiveVerificationException(name + " is " + e.getSize() + " bytes, over the limit of " + max);
        }
        return name;
    }

    static void checkSeal(Optional<Sealer> sealer, byte[] sealed, byte[] sums) {
        if (sealer.isPresent() && sealed == null) {
            throw new ArchiveVerificationException("the archive is not sealed, but a key was given: refusing an "
                    + "archive whose seal may have been stripped");
        }
        if (sealer.isEmpty() && sealed != null) {
            throw new ArchiveVerificationException("the archive is sealed: give its key (--key-file) to verify it");
        }
        if (sealer.isPresent() && !Arrays.equals(sealer.get().open(sealed, sums), sums)) {
            throw new ArchiveVerificationException("SHA256SUMS differs from what its seal vouches for");
        }
    }

    static String printable(String name) {
        String shown = name.replaceAll("[^\\x20-\\x7e]", "?");
        return "'" + (shown.length() > 100 ? shown.substring(0, 100) + "…" : shown) + "'";
    }

    /**
     * Marks the underlying file's own I/O failures, so they stay I/O errors, while any IOException the
     * gzip, tar or Avro layers raise about the bytes means the archive is bad.
     */
    static final class FileFailures extends FilterInputStream {
        FileFailures(InputStream in) {
            super(in);
        }

        @Override
        public int read() {
            try {
                return super.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Counts bytes going through. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    /** Fails once decompressed bytes outgrow the compressed ones read so far by more than the limit. */
    private static final class RatioGuard extends FilterInputStream {
        private static final long SLACK = 1 << 20;
        private final CountingStream compressed;
        private final ArchiveLimits limits;
        private long inflated;

        RatioGuard(InputStream in, CountingStream compressed, ArchiveLimits limits) {
            super(in);
            this.compressed = compressed;
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                inflated += n;
                if (inflated > SLACK + limits.maxRatio() * compressed.count) {
                    throw new ArchiveVerificationException("the archive decompresses beyond " + limits.maxRatio()
                            + " times its size: refusing it as a decompression bomb");
                }
            }
            return n;
        }
    }

    /** Lets Avro close its stream without closing the tar entry under it. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
