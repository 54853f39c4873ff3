package dev.raftpipe.codecs.internal;

import java.util.zip.CRC32C;

/**
 * The WAL's running CRC-32C. {@link CRC32C} cannot be seeded, so to continue a chain from a value
 * read off disk we first feed it four bytes chosen so that their CRC equals that value: CRC-32C of a
 * 4-byte input is an invertible affine map, so such bytes always exist. After that every update runs
 * on the JDK's intrinsic.
 */
public final class Crc32cChain {
    private static final int[] COLUMNS = new int[32];
    private static final int CRC_OF_ZEROS;

    static {
        CRC_OF_ZEROS = crcOf(0);
        for (int bit = 0; bit < 32; bit++) {
            COLUMNS[bit] = crcOf(1 << bit) ^ CRC_OF_ZEROS;
        }
    }

    private CRC32C crc = new CRC32C();

    /** Restarts the chain so that {@link #value()} is {@code seed}. */
    public void reset(int seed) {
        crc = new CRC32C();
        if (seed != 0) {
            int prefix = prefixFor(seed);
            crc.update(new byte[] {(byte) prefix, (byte) (prefix >>> 8), (byte) (prefix >>> 16), (byte) (prefix >>> 24)});
        }
    }

    public void update(byte[] data, int offset, int length) {
        crc.update(data, offset, length);
    }

    public int value() {
        return (int) crc.getValue();
    }

    private static int crcOf(int fourBytesLittleEndian) {
        CRC32C c = new CRC32C();
        int v = fourBytesLittleEndian;
        c.update(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
        return (int) c.getValue();
    }

    /** Solves crcOf(x) == target over GF(2) by elimination on the 32 column vectors. */
    static int prefixFor(int target) {
        int[] basis = new int[32];
        int[] combination = new int[32];
        for (int bit = 0; bit < 32; bit++) {
            int v = COLUMNS[bit];
            int c = 1 << bit;
            for (int b = 31; b >= 0 && v != 0; b--) {
                if ((v >>> b & 1) == 0) {
                    continue;
                }
                if (basis[b] == 0) {
                    basis[b] = v;
                    combination[b] = c;
                    break;
                }
                v ^= basis[b];
                c ^= combination[b];
            }
        }
        int rest = target ^ CRC_OF_ZEROS;
        int x = 0;
        for (int b = 31; b >= 0; b--) {
            if ((rest >>> b & 1) != 0) {
                rest ^= basis[b];
                x ^= combination[b];
            }
        }
        return x;
    }
}
