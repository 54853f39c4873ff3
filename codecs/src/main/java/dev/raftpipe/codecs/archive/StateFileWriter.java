package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateRecord;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes state.bin: an Avro object container file (schema embedded, deflate-compressed blocks, sync
 * markers) of state records in their fixed order, streamed: memory holds one block, not the file.
 */
public final class StateFileWriter implements Closeable {
    private final DataFileWriter<StateRecord> avro;
    private final StateOrder order = new StateOrder();

    private StateFileWriter(DataFileWriter<StateRecord> avro) {
        this.avro = avro;
    }

    /**
     * @param codec Avro's block codec: {@code zstandard}, {@code snappy}, {@code deflate} or {@code null}
     * @param level the codec's level where it has one (zstandard 1-22, deflate 0-9)
     * @param blockBytes Avro's sync interval: the unit of compression and of memory
     */
    public static StateFileWriter create(OutputStream out, String codec, int level, int blockBytes) throws IOException {
        DataFileWriter<StateRecord> avro = new DataFileWriter<>(new StateDatum.Writer());
        avro.setCodec(codec(codec, level));
        avro.setSyncInterval(blockBytes);
        avro.setMeta("raftpipe.format", "1");
        // a fixed sync marker keeps two seals of the same backend byte for byte the same
        return new StateFileWriter(avro.create(StateSchema.UNION, out, new byte[16]));
    }

    static CodecFactory codec(String name, int level) {
        return switch (name) {
            case "zstandard" -> CodecFactory.zstandardCodec(level);
            case "snappy" -> CodecFactory.snappyCodec();
            case "deflate" -> CodecFactory.deflateCodec(level);
            case "null" -> CodecFactory.nullCodec();
            default -> throw new IllegalArgumentException("unknown state.bin codec " + name
                    + " (zstandard, snappy, deflate or null)");
        };
    }

    public void write(StateRecord r) throws IOException {
        order.accept(r);
        avro.append(r);
    }

    public StateCounts counts() {
        return order.counts();
    }

    public byte[] contentDigest() {
        return order.contentDigest();
    }

    /** meta.json's {@code content_digest}: see {@link StateOrder#contentChecksum()}. */
    public String contentChecksum() {
        return order.contentChecksum();
    }

    @Override
    public void close() throws IOException {
        order.finish();
        avro.close();
    }
}
