package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateRecord;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDatumTest {
    private static List<StateRecord> records() {
        byte[] big = new byte[(3 << 20) + 7];
        Arrays.fill(big, (byte) 0xa5);
        return List.of(
                new StateRecord.Meta(417, 3, 200001, 150000, List.of(-1L, 0x8e9e05c52164694dL, 1L), List.of(),
                        "3.5.0", "normal"),
                new StateRecord.Meta(0, 0, 0, 0, List.of(), List.of(42L), "", ""),
                new StateRecord.Member(0x8e9e05c52164694dL, "m\u00e9mber-1", List.of("http://127.0.0.1:2380",
                        "https://[::1]:2380"), List.of(), true),
                new StateRecord.Member(1, "", List.of(), List.of("http://a:2379"), false),
                new StateRecord.Lease(0x694d7f1a2b3c4d5eL, 60, -1),
                new StateRecord.KeyValue("/registry/\u00fc".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        new byte[0], 1, Long.MAX_VALUE, 7, -5),
                new StateRecord.KeyValue(new byte[]{0, (byte) 0xff}, big, 2, 3, 1, 0),
                new StateRecord.BucketEntry("authUsers", "root".getBytes(), new byte[]{1, 2, 3}));
    }

    @Test
    void recordsEncodeToTheBytesAvrosGenericWriterMakes() throws IOException {
        for (StateRecord r : records()) {
            ByteArrayOutputStream generic = new ByteArrayOutputStream();
            BinaryEncoder g = EncoderFactory.get().binaryEncoder(generic, null);
            new GenericDatumWriter<GenericRecord>(StateSchema.UNION).write(generic(r), g);
            g.flush();
            assertArrayEquals(generic.toByteArray(), direct(r), r.toString());
        }
    }

    @Test
    void recordsDecodeAsAvrosGenericReaderDecodesThem() throws IOException {
        for (StateRecord r : records()) {
            byte[] bytes = direct(r);
            StateDatum.Reader reader = new StateDatum.Reader();
            reader.setSchema(StateSchema.UNION);
            assertEquals(r, reader.read(null, decoder(bytes)));
            assertEquals(r, StateSchema.fromAvro(new GenericDatumReader<GenericRecord>(StateSchema.UNION)
                    .read(null, decoder(bytes))));
        }
    }

    @Test
    void aFileWrittenWithAnotherSchemaIsReadThroughResolution() throws IOException {
        // a writer with one more Lease field: Avro's resolution drops it, the records stay the same
        Schema withNote = new Schema.Parser().parse(StateSchema.UNION.toString().replace(
                "{\"name\":\"remaining_ttl\",\"type\":\"long\"}",
                "{\"name\":\"remaining_ttl\",\"type\":\"long\"},{\"name\":\"note\",\"type\":\"string\"}"));
        assertTrue(!withNote.equals(StateSchema.UNION), "the test needs a different schema");
        List<StateRecord> records = List.of(records().get(0), records().get(4), records().get(5));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<GenericRecord>(new GenericDatumWriter<>(withNote))
                .create(withNote, file)) {
            for (StateRecord r : records) {
                GenericRecord g = generic(r);
                if (r instanceof StateRecord.Lease) {
                    GenericRecord noted = new GenericData.Record(withNote.getTypes().get(2));
                    g.getSchema().getFields().forEach(f -> noted.put(f.name(), g.get(f.name())));
                    noted.put("note", "extra");
                    w.append(noted);
                } else {
                    w.append(g);
                }
            }
        }
        List<StateRecord> read = new ArrayList<>();
        try (StateFileReader reader = StateFileReader.open(new ByteArrayInputStream(file.toByteArray()))) {
            for (StateRecord r = reader.next(); r != null; r = reader.next()) {
                read.add(r);
            }
        }
        assertEquals(records, read);
    }

    @Test
    void hostileBytesFailWithoutAllocatingWhatTheyClaim() throws IOException {
        StateDatum.Reader reader = new StateDatum.Reader();
        reader.setSchema(StateSchema.UNION);
        assertThrows(ArchiveVerificationException.class, () -> reader.read(null, decoder(zigzag(7))));
        assertThrows(ArchiveVerificationException.class,
                () -> reader.read(null, decoder(concat(zigzag(3), zigzag(1L << 40)))));
        // claims 1.5 GiB, holds three bytes: the end of the data, in pieces, not a 1.5 GiB array
        assertThrows(EOFException.class,
                () -> reader.read(null, decoder(concat(zigzag(3), zigzag(3L << 29), new byte[]{1, 2, 3}))));
    }

    private static byte[] direct(StateRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        StateDatum.Writer w = new StateDatum.Writer();
        w.setSchema(StateSchema.UNION);
        w.write(r, e);
        e.flush();
        return out.toByteArray();
    }

    private static Decoder decoder(byte[] bytes) {
        return DecoderFactory.get().binaryDecoder(bytes, null);
    }

    private static byte[] zigzag(long v) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        e.writeLong(v);
        e.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The generic mapping StateFileWriter used before StateDatum: the reference the direct bytes must equal. */
    private static GenericRecord generic(StateRecord r) {
        if (r instanceof StateRecord.Meta m) {
            GenericRecord g = new GenericData.Record(StateSchema.META);
            g.put("consistent_index", m.consistentIndex());
            g.put("term", m.term());
            g.put("revision", m.revision());
            g.put("compact_revision", m.compactRevision());
            g.put("voters", m.voters());
            g.put("learners", m.learners());
            g.put("cluster_version", m.clusterVersion());
            g.put("apply_mode", m.applyMode());
            return g;
        } else if (r instanceof StateRecord.Member m) {
            GenericRecord g = new GenericData.Record(StateSchema.MEMBER);
            g.put("id", m.id());
            g.put("name", m.name());
            g.put("peer_urls", m.peerUrls());
            g.put("client_urls", m.clientUrls());
            g.put("is_learner", m.isLearner());
            return g;
        } else if (r instanceof StateRecord.Lease l) {
            GenericRecord g = new GenericData.Record(StateSchema.LEASE);
            g.put("id", l.id());
            g.put("ttl", l.ttl());
            g.put("remaining_ttl", l.remainingTtl());
            return g;
        }
        if (r instanceof StateRecord.BucketEntry b) {
            GenericRecord g = new GenericData.Record(StateSchema.BUCKET_ENTRY);
            g.put("bucket", b.bucket());
            g.put("key", ByteBuffer.wrap(b.key()));
            g.put("value", ByteBuffer.wrap(b.value()));
            return g;
        }
        StateRecord.KeyValue kv = (StateRecord.KeyValue) r;
        GenericRecord g = new GenericData.Record(StateSchema.KEY_VALUE);
        g.put("key", ByteBuffer.wrap(kv.key()));
        g.put("value", ByteBuffer.wrap(kv.value()));
        g.put("create_revision", kv.createRevision());
        g.put("mod_revision", kv.modRevision());
        g.put("version", kv.version());
        g.put("lease", kv.lease());
        return g;
    }

}
