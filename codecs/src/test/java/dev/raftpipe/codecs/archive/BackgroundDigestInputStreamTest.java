package dev.raftpipe.codecs.archive;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundDigestInputStreamTest {
    private static final int CHUNK = 1 << 20;

    @Test
    void digestsExactlyTheBytesReadWhateverTheReadSizes() throws IOException {
        Random random = new Random(7);
        for (int size : new int[]{0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 9 * CHUNK + 7}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            try (BackgroundDigestInputStream in = new BackgroundDigestInputStream(new ByteArrayInputStream(data),
                    Digests.sha256())) {
                byte[] buf = new byte[3 * CHUNK];
                long read = 0;
                while (true) {
                    int pick = random.nextInt(4);
                    long n;
                    if (pick == 0) {
                        int b = in.read();
                        n = b < 0 ? -1 : 1;
                        if (b >= 0) {
                            assertEquals(data[(int) read] & 0xff, b, "bytes pass through unchanged");
                        }
                    } else if (pick == 1) {
                        n = in.skip(random.nextInt(70_000));
                        n = n == 0 && read == size ? -1 : n;
                    } else {
                        n = in.read(buf, 0, 1 + random.nextInt(buf.length));
                        if (n > 0) {
                            assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) read, (int) (read + n)),
                                    java.util.Arrays.copyOf(buf, (int) n));
                        }
                    }
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                assertEquals(size, read);
                assertArrayEquals(Digests.sha256().digest(data), in.digest(), "size " + size);
            }
        }
    }

    @Test
    void anAbandonedReadStopsItsThread() throws Exception {
        byte[] data = new byte[5 * CHUNK];
        BackgroundDigestInputStream in = new BackgroundDigestInputStream(new ByteArrayInputStream(data), Digests.sha256());
        in.readNBytes(2 * CHUNK + 3);
        assertTrue(in.hashing());
        in.abandon();
        assertFalse(in.hashing(), "the digesting thread ended");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> in.transferTo(OutputStream.nullOutputStream()), "nothing is read unhashed after the end");
    }
}
