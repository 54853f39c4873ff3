package dev.raftpipe.codecs.archive;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Archive files encrypted as a stream ({@code --seal aes-gcm}; state.bin since archive format 3): a random 256-bit
 * data key, wrapped with the user's key (AES-256-GCM) and recorded in meta.json, and the file cut into fixed-size
 * chunks, each sealed with AES-256-GCM under that data key (or one derived from it per file name). A chunk's nonce is a per-file random prefix, the chunk counter
 * and a last-chunk flag; its associated data names the file, the counter and the flag. So a chunk moved, dropped,
 * repeated, or taken from another file or archive fails its tag, and a file cut at a chunk boundary ends without a
 * last chunk (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár). Memory is one chunk.
 */
public final class StateCipher {
    public static final String ALGORITHM = "aes-256-gcm-stream";
    private static final int TAG_BYTES = 16;
    private static final int PREFIX_BYTES = 7;
    private static final int NONCE_BYTES = 12;
    private static final byte[] KEY_AAD = "raftpipe data key v3".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARCHIVE_KEY_AAD = "raftpipe archive key v5".getBytes(StandardCharsets.US_ASCII);
    private static final String FILE_KEY_LABEL = "raftpipe file key v5\0";
    private static final String FILE_PREFIX_LABEL = "raftpipe file nonce prefix v5\0";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec userKey;

    /** With the user's 32-byte key (the one that also seals SHA256SUMS). */
    public StateCipher(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("an encryption key is 32 bytes, not " + (key == null ? 0 : key.length));
        }
        this.userKey = new SecretKeySpec(key.clone(), "AES");
    }

    /** How one file was encrypted: what meta.json records (nothing secret: the data key is wrapped). */
    public record Parameters(String algorithm, int chunkBytes, byte[] wrappedKey, byte[] noncePrefix) {
    }

    /** A file about to be encrypted: its parameters and a fresh data key. */
    public final class NewFile {
        private final byte[] dataKey = random(32);
        private final Parameters parameters;

        private NewFile(int chunkBytes) {
            parameters = new Parameters(ALGORITHM, chunkBytes, wrap(dataKey), random(PREFIX_BYTES));
        }

        public Parameters parameters() {
            return parameters;
        }

        /** Encrypts what is written into {@code stored}; closing it writes the last chunk and closes {@code stored}. */
        public OutputStream encrypting(OutputStream stored, String fileName) {
            return new Encrypting(stored, new ChunkCipher(dataKey, parameters, fileName, Cipher.ENCRYPT_MODE),
                    parameters.chunkBytes());
        }
    }

    /**
     * One data key for a whole archive whose files are not all known when it starts (a WAL archive written as its
     * WAL is): each file's own key and nonce prefix are HMAC-SHA256 of its name under that key. An archive never
     * holds a name twice, so no two files share a key; the parameters (no nonce prefix of their own) go in the
     * archive's first entry.
     */
    public final class NewArchive {
        private final byte[] dataKey = random(32);
        private final Parameters parameters;

        private NewArchive(int chunkBytes) {
            parameters = new Parameters(ALGORITHM, chunkBytes, AesGcmBox.seal(userKey, ARCHIVE_KEY_AAD, dataKey),
                    new byte[0]);
        }

        public Parameters parameters() {
            return parameters;
        }

        /** Encrypts what is written into {@code stored} as the file {@code fileName} of the archive. */
        public OutputStream encrypting(OutputStream stored, String fileName) {
            return new Encrypting(stored, named(dataKey, parameters, fileName, Cipher.ENCRYPT_MODE),
                    parameters.chunkBytes());
        }
    }

    /** A fresh archive-wide data key; files of {@code chunkBytes} of plaintext per chunk. */
    public NewArchive newArchive(int chunkBytes) {
        return new NewArchive(chunkBytes);
    }

    /** The plaintext of the file {@code fileName} of an archive encrypted as {@link NewArchive} does. */
    public InputStream decryptingNamed(InputStream stored, Parameters archive, String fileName) {
        if (!ALGORITHM.equals(archive.algorithm()) || archive.chunkBytes() <= 0 || archive.chunkBytes() > 16 << 20
                || archive.noncePrefix().length != 0) {
            throw new ArchiveVerificationException("the archive's encryption parameters are not " + ALGORITHM
                    + " with per-name file keys as this raftpipe writes it");
        }
        if (archive.wrappedKey().length != AesGcmBox.NONCE + 32 + TAG_BYTES) {
            throw new ArchiveVerificationException("the archive's wrapped data key has the wrong length");
        }
        byte[] dataKey = AesGcmBox.open(userKey, ARCHIVE_KEY_AAD, archive.wrappedKey()).orElseThrow(() ->
                new ArchiveVerificationException("the archive's data key does not open: wrong key or altered archive"));
        return new Decrypting(stored, named(dataKey, archive, fileName, Cipher.DECRYPT_MODE), archive.chunkBytes());
    }

    private static ChunkCipher named(byte[] dataKey, Parameters archive, String fileName, int mode) {
        byte[] fileKey = hmac(dataKey, FILE_KEY_LABEL + fileName);
        byte[] prefix = Arrays.copyOf(hmac(dataKey, FILE_PREFIX_LABEL + fileName), PREFIX_BYTES);
        return new ChunkCipher(fileKey, new Parameters(archive.algorithm(), archive.chunkBytes(), archive.wrappedKey(),
                prefix), fileName, mode);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh data key and nonce prefix for one file, cut into chunks of {@code chunkBytes} of plaintext. */
    public NewFile newFile(int chunkBytes) {
        return new NewFile(chunkBytes);
    }

    /** The plaintext of {@code stored}; any tampering, a wrong key or a cut is an {@link ArchiveVerificationException}. */
    public InputStream decrypting(InputStream stored, Parameters p, String fileName) {
        if (!ALGORITHM.equals(p.algorithm()) || p.chunkBytes() <= 0 || p.chunkBytes() > 16 << 20
                || p.noncePrefix().length != PREFIX_BYTES) {
            throw new ArchiveVerificationException("meta.json's encryption parameters are not " + ALGORITHM
                    + " as this raftpipe writes it");
        }
        return new Decrypting(stored, new ChunkCipher(unwrap(p.wrappedKey()), p, fileName, Cipher.DECRYPT_MODE),
                p.chunkBytes());
    }

    /** The stored size of {@code plain} bytes: every chunk gains a tag, and an empty file is one empty last chunk. */
    public static long storedSize(long plain, int chunkBytes) {
        long chunks = Math.max(1, (plain + chunkBytes - 1) / chunkBytes);
        return plain + chunks * TAG_BYTES;
    }

    private byte[] wrap(byte[] dataKey) {
        return AesGcmBox.seal(userKey, KEY_AAD, dataKey);
    }

    private byte[] unwrap(byte[] wrapped) {
        if (wrapped.length != AesGcmBox.NONCE + 32 + TAG_BYTES) {
            throw new ArchiveVerificationException("meta.json's wrapped data key has the wrong length");
        }
        return AesGcmBox.open(userKey, KEY_AAD, wrapped).orElseThrow(() -> new ArchiveVerificationException(
                "the archive's data key does not open: wrong key or altered archive"));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Seals or opens chunk {@code counter}, with the last-chunk flag in both nonce and associated data. */
    private static final class ChunkCipher {
        private final SecretKeySpec key;
        private final byte[] prefix;
        private final byte[] name;
        private final String fileName;
        private final int mode;
        private final Cipher cipher;
        private long counter;

        ChunkCipher(byte[] dataKey, Parameters p, String fileName, int mode) {
            this.key = new SecretKeySpec(dataKey, "AES");
            this.prefix = p.noncePrefix().clone();
            this.name = fileName.getBytes(StandardCharsets.UTF_8);
            this.fileName = fileName;
            this.mode = mode;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        int apply(byte[] in, int length, boolean last, byte[] out) {
            if (counter > 0xffffffffL) {
                throw new ArchiveVerificationException(fileName + " has more chunks than one nonce prefix allows");
            }
            byte[] nonce = ByteBuffer.allocate(NONCE_BYTES).put(prefix).putInt((int) counter).put((byte) (last ? 1 : 0))
                    .array();
            byte[] aad = ByteBuffer.allocate(name.length + 9).put(name).putLong(counter).put((byte) (last ? 1 : 0))
                    .array();
            try {
                cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
                cipher.updateAAD(aad);
                int n = cipher.doFinal(in, 0, length, out, 0);
                counter++;
                return n;
            } catch (AEADBadTagException e) {
                throw new ArchiveVerificationException(fileName + " chunk " + counter + " does not authenticate: "
                        + "altered, moved, cut or from another archive");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class Encrypting extends FilterOutputStream {
        private final ChunkCipher chunks;
        private final byte[] plain;
        private final byte[] sealed;
        private int filled;
        private boolean closed;

        Encrypting(OutputStream out, ChunkCipher chunks, int chunkBytes) {
            super(out);
            this.chunks = chunks;
            this.plain = new byte[chunkBytes];
            this.sealed = new byte[chunkBytes + TAG_BYTES];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == plain.length) {
                    emit(false); // a full chunk is the last one only if nothing follows: known at close
                }
                int n = Math.min(len, plain.length - filled);
                System.arraycopy(b, off, plain, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void emit(boolean last) throws IOException {
            int n = chunks.apply(plain, filled, last, sealed);
            out.write(sealed, 0, n);
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                emit(true);
                out.close();
            }
        }
    }

    /** Reads one stored chunk ahead, so the chunk before the end of the file is known to be the last. */
    private static final class Decrypting extends InputStream {
        private final InputStream in;
        private final ChunkCipher chunks;
        private final int storedChunk;
        private byte[] next;
        private byte[] spare;
        private int nextLength;
        private final byte[] plain;
        private int plainPos;
        private int plainLength;
        private boolean done;

        Decrypting(InputStream in, ChunkCipher chunks, int chunkBytes) {
            this.in = in;
            this.chunks = chunks;
            this.storedChunk = chunkBytes + TAG_BYTES;
            this.plain = new byte[chunkBytes];
            this.next = new byte[storedChunk];
            this.spare = new byte[storedChunk];
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (plainPos == plainLength) {
                if (done) {
                    return -1;
                }
                refill();
            }
            int n = Math.min(len, plainLength - plainPos);
            System.arraycopy(plain, plainPos, b, off, n);
            plainPos += n;
            return n;
        }

        private void refill() throws IOException {
            if (next == null) {
                done = true;
                return;
            }
            if (nextLength == 0) {
                nextLength = in.readNBytes(next, 0, storedChunk);
            }
            byte[] current = next;
            int currentLength = nextLength;
            byte[] following = spare;
            int followingLength = currentLength == storedChunk ? in.readNBytes(following, 0, storedChunk) : 0;
            boolean last = followingLength == 0;
            if (currentLength < TAG_BYTES) {
                throw new ArchiveVerificationException(chunks.fileName + " ends inside an encrypted chunk: truncated");
            }
            plainLength = chunks.apply(current, currentLength, last, plain);
            plainPos = 0;
            if (last) {
                next = null;
                done = plainLength == 0;
            } else {
                spare = current;
                next = following;
                nextLength = followingLength;
            }
        }
    }
}
