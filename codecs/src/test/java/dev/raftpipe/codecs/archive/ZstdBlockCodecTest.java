package dev.raftpipe.codecs.archive;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import org.apache.avro.file.Codec;
import org.apache.avro.file.CodecFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZstdBlockCodecTest {
    /** Half random, half repeated: compressible, and not trivially. */
    private static byte[] block(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Arrays.fill(b, size / 2, size, (byte) 'x');
        return b;
    }

    /** As Avro's own codec writes a block: one frame from a stream, which does not record its size. */
    private static byte[] streamed(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out, 1)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    private static Codec codec() {
        return ZstdBlockCodec.create(1);
    }

    @Test
    void streamedBlocksLargerThanItsBufferDecompressAndOutputsNeverOverwriteTheNextInput() throws IOException {
        Codec codec = codec();
        byte[] first = block(3 << 20, 1); // larger than the 1 MiB it starts with
        byte[] second = block(200_000, 2);
        ByteBuffer out1 = codec.decompress(ByteBuffer.wrap(streamed(first)));
        assertArrayEquals(first, Arrays.copyOf(out1.array(), out1.remaining()));
        // Avro reads the next compressed block into the array the last decompression returned
        byte[] reused = out1.array();
        byte[] next = streamed(second);
        System.arraycopy(next, 0, reused, 0, next.length);
        ByteBuffer out2 = codec.decompress(ByteBuffer.wrap(reused, 0, next.length));
        assertFalse(out2.array() == reused);
        assertArrayEquals(second, Arrays.copyOf(out2.array(), out2.remaining()));
    }

    @Test
    void itsBlocksReadWithZstdsOwnStream() throws IOException {
        byte[] plain = block(300_000, 3);
        ByteBuffer compressed = codec().compress(ByteBuffer.wrap(plain));
        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed.array(), 0,
                compressed.remaining()))) {
            assertArrayEquals(plain, in.readAllBytes());
        }
    }

    /** Avro turns an IOException of its codec into a failed read; zstd's own unchecked one would escape as a bug. */
    @Test
    void aBlockThatIsNoZstdFrameIsAnIoError() throws IOException {
        byte[] bad = streamed(block(100_000, 4));
        bad[0] ^= 0x55; // the frame's magic number
        IOException e = assertThrows(IOException.class, () -> codec().decompress(ByteBuffer.wrap(bad)));
        assertTrue(e.getMessage().startsWith("zstd: "), e.getMessage());
    }

    @Test
    void readersInThisJvmUseIt() throws Exception {
        Class.forName(StateFileReader.class.getName(), true, StateFileReader.class.getClassLoader());
        assertInstanceOf(ZstdBlockCodec.Factory.class, CodecFactory.fromString("zstandard"));
    }
}
