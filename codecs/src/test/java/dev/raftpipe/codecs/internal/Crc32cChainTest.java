package dev.raftpipe.codecs.internal;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc32cChainTest {

    @Test
    void seededChainEqualsTheCrcOfTheWholeConcatenation() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] a = new byte[rnd.nextInt(300)];
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(a);
            rnd.nextBytes(b);
            CRC32C whole = new CRC32C();
            whole.update(a);
            int afterA = (int) whole.getValue();
            whole.update(b);

            Crc32cChain chain = new Crc32cChain();
            chain.reset(afterA);
            assertEquals(afterA, chain.value());
            chain.update(b, 0, b.length);
            assertEquals((int) whole.getValue(), chain.value(), "round " + round);
        }
    }

    @Test
    void resetToZeroIsAFreshChain() {
        Crc32cChain chain = new Crc32cChain();
        chain.update(new byte[] {1, 2, 3}, 0, 3);
        chain.reset(0);
        assertEquals(0, chain.value());
        chain.update(new byte[] {1, 2, 3}, 0, 3);
        CRC32C plain = new CRC32C();
        plain.update(new byte[] {1, 2, 3});
        assertEquals((int) plain.getValue(), chain.value());
    }
}
