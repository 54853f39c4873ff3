package dev.raftpipe.codecs.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StateCipherTest {
    private static final int CHUNK = 1024;
    private static final int STORED = CHUNK + 16;
    private final StateCipher cipher = new StateCipher(key(1));

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 77})
    void roundTripsAnySizeAndTheStoredSizeIsKnownAhead(int size) throws IOException {
        byte[] plain = random(size, 7);
        StateCipher.NewFile file = cipher.newFile(CHUNK);
        byte[] stored = encrypt(file, plain);
        assertEquals(StateCipher.storedSize(size, CHUNK), stored.length);
        assertArrayEquals(plain, decrypt(cipher, stored, file.parameters()));
    }

    @Test
    void everyTamperingOfTheChunksIsCaught() throws IOException {
        StateCipher.NewFile file = cipher.newFile(CHUNK);
        byte[] stored = encrypt(file, random(4 * CHUNK + 100, 3));
        StateCipher.NewFile other = cipher.newFile(CHUNK);
        byte[] otherStored = encrypt(other, random(4 * CHUNK + 100, 3));
        byte[][] tampered = {
                flip(stored, STORED + 5),
                flip(stored, stored.length - 1),
                concat(part(stored, STORED, 2 * STORED), part(stored, 0, STORED), part(stored, 2 * STORED, stored.length)),
                concat(part(stored, 0, STORED), part(stored, 2 * STORED, stored.length)),
                concat(part(stored, 0, 2 * STORED), part(stored, STORED, stored.length)),
                part(stored, 0, 4 * STORED), // cut at a boundary: the last chunk before the cut is not marked last
                part(stored, 0, 4 * STORED + 3),
                part(stored, 0, 0),
                concat(stored, part(stored, 0, STORED)),
                concat(part(stored, 0, STORED), part(otherStored, STORED, 2 * STORED), part(stored, 2 * STORED, stored.length)),
                otherStored, // another file's bytes under this file's parameters
        };
        for (int i = 0; i < tampered.length; i++) {
            byte[] t = tampered[i];
            assertThrows(ArchiveVerificationException.class, () -> decrypt(cipher, t, file.parameters()), "case " + i);
        }
        assertThrows(ArchiveVerificationException.class, () -> decrypt(new StateCipher(key(2)), stored, file.parameters()),
                "a wrong key does not unwrap the data key");
        assertThrows(ArchiveVerificationException.class, () -> decrypt(cipher, stored,
                new StateCipher.Parameters(StateCipher.ALGORITHM, CHUNK, file.parameters().wrappedKey(),
                        other.parameters().noncePrefix())), "another nonce prefix");
        assertThrows(ArchiveVerificationException.class, () -> decrypt(cipher, stored,
                new StateCipher.Parameters(StateCipher.ALGORITHM, CHUNK * 2, file.parameters().wrappedKey(),
                        file.parameters().noncePrefix())), "another chunk size");
    }

    @Test
    void aChunkOfAnotherFileNameDoesNotAuthenticate() throws IOException {
        StateCipher.NewFile file = cipher.newFile(CHUNK);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = file.encrypting(out, "other.bin")) {
            enc.write(random(100, 1));
        }
        assertThrows(ArchiveVerificationException.class, () -> decrypt(cipher, out.toByteArray(), file.parameters()));
    }

    private static byte[] encrypt(StateCipher.NewFile file, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = file.encrypting(out, ArchiveEntries.STATE)) {
            // in uneven pieces, as the Avro writer flushes blocks
            for (int off = 0; off < plain.length; off += 333) {
                enc.write(plain, off, Math.min(333, plain.length - off));
            }
        }
        return out.toByteArray();
    }

    private static byte[] decrypt(StateCipher c, byte[] stored, StateCipher.Parameters p) throws IOException {
        try (InputStream in = c.decrypting(new ByteArrayInputStream(stored), p, ArchiveEntries.STATE)) {
            return in.readAllBytes();
        }
    }

    private static byte[] key(int seed) {
        return random(32, seed);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x40;
        return c;
    }

    private static byte[] part(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, Math.min(to, b.length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
