package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * state.avsc (a union of the five record kinds), and the mapping from Avro's generic records to ours for files written
 * with another schema ({@link StateDatum} reads and writes ours directly).
 */
final class StateSchema {
    static final Schema UNION = load();
    static final Schema META = UNION.getTypes().get(0);
    static final Schema MEMBER = UNION.getTypes().get(1);
    static final Schema LEASE = UNION.getTypes().get(2);
    static final Schema KEY_VALUE = UNION.getTypes().get(3);
    static final Schema BUCKET_ENTRY = UNION.getTypes().get(4);

    private StateSchema() {
    }

    private static Schema load() {
        try (InputStream in = StateSchema.class.getResourceAsStream("state.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("state.avsc is missing from the codecs JAR", e);
        }
    }

    static StateRecord fromAvro(GenericRecord g) {
        String name = g.getSchema().getFullName();
        return switch (name) {
            case "dev.raftpipe.state.BackendMeta" -> new StateRecord.Meta(l(g, "consistent_index"), l(g, "term"),
                    l(g, "revision"), l(g, "compact_revision"), longs(g.get("voters")), longs(g.get("learners")),
                    s(g, "cluster_version"), s(g, "apply_mode"));
            case "dev.raftpipe.state.Member" -> new StateRecord.Member(l(g, "id"), s(g, "name"),
                    strings(g.get("peer_urls")), strings(g.get("client_urls")), (Boolean) g.get("is_learner"));
            case "dev.raftpipe.state.Lease" -> new StateRecord.Lease(l(g, "id"), l(g, "ttl"), l(g, "remaining_ttl"));
            case "dev.raftpipe.state.KeyValue" -> new StateRecord.KeyValue(b(g, "key"), b(g, "value"),
                    l(g, "create_revision"), l(g, "mod_revision"), l(g, "version"), l(g, "lease"));
            case "dev.raftpipe.state.EtcdBucketEntry" -> new StateRecord.BucketEntry(s(g, "bucket"), b(g, "key"),
                    b(g, "value"));
            default -> throw new ArchiveVerificationException("state.bin holds an unknown record kind " + name);
        };
    }

    private static long l(GenericRecord g, String field) {
        return (Long) g.get(field);
    }

    private static String s(GenericRecord g, String field) {
        return g.get(field).toString();
    }

    private static byte[] b(GenericRecord g, String field) {
        ByteBuffer buf = ((ByteBuffer) g.get(field)).duplicate();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    private static List<Long> longs(Object array) {
        List<Long> out = new ArrayList<>();
        for (Object o : (Iterable<?>) array) {
            out.add((Long) o);
        }
        return out;
    }

    private static List<String> strings(Object array) {
        List<String> out = new ArrayList<>();
        for (Object o : (Iterable<?>) array) {
            out.add(o.toString());
        }
        return out;
    }
}
