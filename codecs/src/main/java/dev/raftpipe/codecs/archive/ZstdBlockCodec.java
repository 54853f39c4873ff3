package dev.raftpipe.codecs.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import org.apache.avro.file.Codec;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Avro's {@code zstandard} block codec with one native call per block. Avro's own goes through zstd's streams and
 * copies every block through Java buffers, which cost more than the decompression itself when a process reads a
 * state.bin once (cold code). The bytes are zstd frames either way: files written by either read with either.
 *
 * <p>Decompressed blocks alternate between two buffers: Avro reads the next compressed block into the array the last
 * decompression returned, so the output must not be that array.
 */
final class ZstdBlockCodec extends Codec {
    /** No block decompresses to more than a Java array holds. */
    private static final int MAX_BLOCK = Integer.MAX_VALUE - 8;
    /**
     * One decompression context per thread, kept: a context per block costs as much as a small block's work, and a
     * codec is never told it is done with. Threads are few (the blocking dispatcher's, the caller's).
     */
    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESSOR = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    private final int level;
    private byte[] one = new byte[1 << 20];
    private byte[] two = new byte[1 << 20];
    private byte[] compressed = new byte[0];

    private ZstdBlockCodec(int level) {
        this.level = level;
    }

    /** Makes this codec where Avro looks a codec up by name: for every {@code zstandard} file read in this JVM. */
    static void register() {
        CodecFactory.addCodec(DataFileConstants.ZSTANDARD_CODEC, factory(Zstd.defaultCompressionLevel()));
    }

    static CodecFactory factory(int level) {
        return new Factory(level);
    }

    /** Makes one codec per file Avro reads or writes (each keeps its own buffers). */
    static final class Factory extends CodecFactory {
        private final int level;

        Factory(int level) {
            this.level = level;
        }

        @Override
        protected Codec createInstance() {
            return new ZstdBlockCodec(level);
        }

        @Override
        public String toString() {
            return DataFileConstants.ZSTANDARD_CODEC + "-" + level;
        }
    }

    /** A codec of its own (tests; Avro makes its through the factory). */
    static ZstdBlockCodec create(int level) {
        return new ZstdBlockCodec(level);
    }

    @Override
    public String getName() {
        return DataFileConstants.ZSTANDARD_CODEC;
    }

    @Override
    public ByteBuffer compress(ByteBuffer block) throws IOException {
        int bound = (int) Math.min(MAX_BLOCK, Zstd.compressBound(block.remaining()));
        if (compressed.length < bound) {
            compressed = new byte[bound];
        }
        long n = Zstd.compressByteArray(compressed, 0, compressed.length, block.array(),
                block.arrayOffset() + block.position(), block.remaining(), level);
        if (Zstd.isError(n)) {
            throw new IOException("zstd: " + Zstd.getErrorName(n));
        }
        return ByteBuffer.wrap(compressed, 0, (int) n);
    }

    @Override
    public ByteBuffer decompress(ByteBuffer block) throws IOException {
        byte[] src = block.array();
        int offset = block.arrayOffset() + block.position();
        while (true) {
            byte[] out = src == one ? two : one;
            try {
                int n = DECOMPRESSOR.get().decompressByteArray(out, 0, out.length, src, offset, block.remaining());
                return ByteBuffer.wrap(out, 0, n);
            } catch (ZstdException e) {
                if (e.getErrorCode() != Zstd.errDstSizeTooSmall() || out.length == MAX_BLOCK) {
                    throw new IOException("zstd: " + e.getMessage(), e);
                }
            }
            // frames written by a stream do not say their size: grow and try again
            byte[] larger = new byte[(int) Math.min(MAX_BLOCK, 2L * out.length)];
            if (out == one) {
                one = larger;
            } else {
                two = larger;
            }
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ZstdBlockCodec c && c.level == level;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(level);
    }

    @Override
    public String toString() {
        return getName() + "-" + level;
    }
}
