package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.codecs.state.StateRecord;
import org.apache.avro.file.DataFileStream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads state.bin record by record, checking the schema, the record order and every block. */
public final class StateFileReader implements Closeable {
    static {
        ZstdBlockCodec.register();
    }

    private final DataFileStream<StateRecord> avro;
    private final StateOrder order = new StateOrder();

    private StateFileReader(DataFileStream<StateRecord> avro) {
        this.avro = avro;
    }

    public static StateFileReader open(InputStream in) throws IOException {
        try {
            DataFileStream<StateRecord> avro = new DataFileStream<>(in, new StateDatum.Reader());
            return new StateFileReader(avro);
        } catch (UncheckedIOException | ArchiveVerificationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Avro fails on hostile bytes in many ways, NullPointerException included
            throw new ArchiveVerificationException("state.bin is not a readable Avro file: " + e, e);
        }
    }

    /** The next record, or {@code null} at the end (after checking the file held a meta record). */
    public StateRecord next() throws IOException {
        try {
            if (!avro.hasNext()) {
                order.finish();
                return null;
            }
            StateRecord r = avro.next();
            order.accept(r);
            return r;
        } catch (UncheckedIOException | ArchiveVerificationException e) {
            throw e;
        } catch (RuntimeException e) {
            // in words, not a Java class name: what the bytes failed to be
            throw new ArchiveVerificationException("state.bin record " + (order.counts().total() + 1)
                    + " is not a valid Avro state record (" + why(e) + ")", e);
        }
    }

    private static String why(RuntimeException e) {
        String m = e.getMessage();
        if (e instanceof IndexOutOfBoundsException || e instanceof NegativeArraySizeException || m == null) {
            return "a length or union index points outside the data";
        }
        return m.replaceAll("\\s+", " ").trim();
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
        avro.close();
    }
}
