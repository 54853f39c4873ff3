package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.bolt.BoltWriter;
import dev.raftpipe.codecs.io.Durable;
import dev.raftpipe.codecs.io.FileErrors;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.io.TempOutput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Publishes an etcd db written by {@link EtcdDbWriter}: to {@code <out>.tmp-<random>} (0600), with the SHA-256
 * trailer of an {@code etcdctl snapshot save} file when asked, fsynced, read back by the reader (every page
 * reached once; stored revisions, consistent_index, revision and etcdutl's status hash equal to what was
 * written), and only then renamed onto {@code out}. A failure leaves nothing at {@code out}.
 */
public final class EtcdDbFile {
    private static final int PAGE_SIZE = 4096;

    /** What was published; {@code sha256} is the trailer (hex), empty for a plain db. */
    public record Published(Path file, EtcdDbWriter.Written written, long bytes, String sha256, long statusHash) {
    }

    private EtcdDbFile() {
    }

    /** A db file is never written over: refused before any work, and again when it is published. */
    public static void refuseExisting(Path out) throws FileAlreadyExistsException {
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "already exists; remove it or choose another name");
        }
    }

    public static Published publish(Path out, DbContent content, boolean trailer)
            throws IOException {
        refuseExisting(out);
        Path temp = TempOutput.beside(out);
        PrivateFiles.createDirectories(temp.getParent());
        try {
            EtcdDbWriter.Written written;
            long statusHash;
            try (BoltWriter w = BoltWriter.create(temp, PAGE_SIZE)) {
                written = content.writeTo(w);
                statusHash = w.statusHash();
                w.force();
            }
            String sha;
            try {
                sha = trailer ? appendTrailer(temp) : "";
            } catch (IOException e) {
                throw FileErrors.naming(temp, e);
            }
            try (EtcdDb check = EtcdDb.open(temp, trailer ? SnapshotTrailer.Check.REQUIRED : SnapshotTrailer.Check.AUTO)) {
                DbStatus read = DbStatus.walk(check, (e, r, tombstone) -> { });
                if (read.statusHash() != statusHash || read.keyRevisions() != written.keys()
                        || check.meta().consistentIndex() != written.consistentIndex()
                        || check.meta().revision() != written.revision()) {
                    throw new VerificationException(temp + " does not read back as written: status hash "
                            + Long.toHexString(read.statusHash()) + " vs " + Long.toHexString(statusHash) + ", "
                            + read.keyRevisions() + " stored revisions vs " + written.keys() + " written");
                }
            }
            Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
            Durable.forceDirectoryOf(out);
            return new Published(out, written, Files.size(out), sha, statusHash);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String appendTrailer(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long at = 0;
            long size = ch.size();
            while (at < size) {
                buf.clear();
                int n = ch.read(buf, at);
                buf.flip();
                sha.update(buf);
                at += n;
            }
            byte[] digest = sha.digest();
            ByteBuffer t = ByteBuffer.wrap(digest);
            while (t.hasRemaining()) {
                at += ch.write(t, at);
            }
            ch.force(true);
            return HexFormat.of().formatHex(digest);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
