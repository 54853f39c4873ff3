package dev.raftpipe.codecs.archive;

import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes state.bin: an Avro object container file (schema embedded, deflate-compressed blocks, sync
 * markers) of state records in their fixed order, streamed: memory holds one block, not the file.
 */
public final class StateFileWriter implements Closeable {
    private final DataFileWriter<GenericRecord> avro;
    private final StateOrder order = new StateOrder();

    private StateFileWriter(DataFileWriter<GenericRecord> avro) {
        this.avro = avro;
    }

    /** {@code deflateLevel} 1 (fast) to 9 (small); {@code blockBytes} is Avro's sync interval. */
    public static StateFileWriter create(OutputStream out, int deflateLevel, int blockBytes) throws IOException {
        DataFileWriter<GenericRecord> avro = new DataFileWriter<>(new GenericDatumWriter<>(StateSchema.UNION));
        avro.setCodec(CodecFactory.deflateCodec(deflateLevel));
        avro.setSyncInterval(blockBytes);
        avro.setMeta("raftpipe.format", "1");
        // a fixed sync marker keeps two seals of the same backend byte for byte the same
        return new StateFileWriter(avro.create(StateSchema.UNION, out, new byte[16]));
    }

    public void write(StateRecord r) throws IOException {
        order.accept(r);
        avro.append(StateSchema.toAvro(r));
    }

    public StateCounts counts() {
        return order.counts();
    }

    public byte[] contentDigest() {
        return order.contentDigest();
    }

    @Override
    public void close() throws IOException {
        order.finish();
        avro.close();
    }
}
