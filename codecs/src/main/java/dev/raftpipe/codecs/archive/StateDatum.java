package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * State records written to and read from Avro's binary form directly, field by field in state.avsc's order: the
 * bytes are those Avro's generic writer makes of the same records (a test holds both to it), without building a
 * {@code GenericRecord} per record and looking its fields up by name, which cost more than the rest of a restore's
 * decoding in a short-lived process. A file written with another schema is read through Avro's schema resolution.
 */
final class StateDatum {
    /** Larger byte fields are read in pieces of this size, so a hostile length fails at the block's end, not in malloc. */
    private static final int READ_PIECE = 1 << 20;

    private StateDatum() {
    }

    static final class Writer implements DatumWriter<StateRecord> {
        @Override
        public void setSchema(Schema schema) {
            if (!schema.equals(StateSchema.UNION)) {
                throw new IllegalArgumentException("state records are written with state.avsc only");
            }
        }

        @Override
        public void write(StateRecord r, Encoder out) throws IOException {
            if (r instanceof StateRecord.Meta m) {
                out.writeIndex(0);
                out.writeLong(m.consistentIndex());
                out.writeLong(m.term());
                out.writeLong(m.revision());
                out.writeLong(m.compactRevision());
                writeLongs(out, m.voters());
                writeLongs(out, m.learners());
                out.writeString(m.clusterVersion());
                out.writeString(m.applyMode());
            } else if (r instanceof StateRecord.Member m) {
                out.writeIndex(1);
                out.writeLong(m.id());
                out.writeString(m.name());
                writeStrings(out, m.peerUrls());
                writeStrings(out, m.clientUrls());
                out.writeBoolean(m.isLearner());
            } else if (r instanceof StateRecord.Lease l) {
                out.writeIndex(2);
                out.writeLong(l.id());
                out.writeLong(l.ttl());
                out.writeLong(l.remainingTtl());
            } else if (r instanceof StateRecord.KeyValue kv) {
                out.writeIndex(3);
                out.writeBytes(kv.key());
                out.writeBytes(kv.value());
                out.writeLong(kv.createRevision());
                out.writeLong(kv.modRevision());
                out.writeLong(kv.version());
                out.writeLong(kv.lease());
            } else if (r instanceof StateRecord.BucketEntry b) {
                out.writeIndex(4);
                out.writeString(b.bucket());
                out.writeBytes(b.key());
                out.writeBytes(b.value());
            }
        }

        private static void writeLongs(Encoder out, List<Long> values) throws IOException {
            writeArray(out, values, v -> out.writeLong(v));
        }

        private static void writeStrings(Encoder out, List<String> values) throws IOException {
            writeArray(out, values, out::writeString);
        }

        /** Avro's array encoding: the count, the items, the end marker; as the generic writer emits it. */
        private static <T> void writeArray(Encoder out, List<T> values, Item<T> write) throws IOException {
            out.writeArrayStart();
            out.setItemCount(values.size());
            for (T v : values) {
                out.startItem();
                write.accept(v);
            }
            out.writeArrayEnd();
        }

        private interface Item<T> {
            void accept(T value) throws IOException;
        }
    }

    static final class Reader implements DatumReader<StateRecord> {
        /** Set when the file's schema is not state.avsc: Avro resolves it to ours, then the generic mapping. */
        private DatumReader<GenericRecord> resolving;

        @Override
        public void setSchema(Schema written) {
            resolving = written.equals(StateSchema.UNION) ? null : new GenericDatumReader<>(written, StateSchema.UNION);
        }

        @Override
        public StateRecord read(StateRecord reuse, Decoder in) throws IOException {
            if (resolving != null) {
                return StateSchema.fromAvro(resolving.read(null, in));
            }
            int kind = in.readIndex();
            return switch (kind) {
                case 0 -> new StateRecord.Meta(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                        readLongs(in), readLongs(in), in.readString(), in.readString());
                case 1 -> new StateRecord.Member(in.readLong(), in.readString(), readStrings(in), readStrings(in),
                        in.readBoolean());
                case 2 -> new StateRecord.Lease(in.readLong(), in.readLong(), in.readLong());
                case 3 -> new StateRecord.KeyValue(readBytes(in), readBytes(in), in.readLong(), in.readLong(),
                        in.readLong(), in.readLong());
                case 4 -> new StateRecord.BucketEntry(in.readString(), readBytes(in), readBytes(in));
                default -> throw new ArchiveVerificationException("state.bin holds an unknown record kind " + kind);
            };
        }

        private static byte[] readBytes(Decoder in) throws IOException {
            long length = in.readLong();
            if (length < 0 || length > Integer.MAX_VALUE - 8) {
                throw new ArchiveVerificationException("state.bin holds a byte field of length " + length);
            }
            if (length <= READ_PIECE) {
                byte[] out = new byte[(int) length];
                in.readFixed(out);
                return out;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(READ_PIECE);
            byte[] piece = new byte[READ_PIECE];
            for (long left = length; left > 0; left -= piece.length) {
                int n = (int) Math.min(piece.length, left);
                in.readFixed(piece, 0, n);
                out.write(piece, 0, n);
            }
            return out.toByteArray();
        }

        private static List<Long> readLongs(Decoder in) throws IOException {
            return readArray(in, in::readLong);
        }

        private static List<String> readStrings(Decoder in) throws IOException {
            return readArray(in, in::readString);
        }

        /** Avro's array encoding: blocks of items, each block led by its count, until a count of 0. */
        private static <T> List<T> readArray(Decoder in, Item<T> read) throws IOException {
            List<T> out = new ArrayList<>();
            for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    out.add(read.get());
                }
            }
            return out;
        }

        private interface Item<T> {
            T get() throws IOException;
        }
    }
}
