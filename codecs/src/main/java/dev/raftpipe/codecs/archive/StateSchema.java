package dev.raftpipe.codecs.archive;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** state.avsc (a union of the five record kinds) and the mapping between its records and ours. */
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

    static GenericRecord toAvro(StateRecord r) {
        if (r instanceof StateRecord.Meta m) {
            GenericRecord g = new GenericData.Record(META);
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
            GenericRecord g = new GenericData.Record(MEMBER);
            g.put("id", m.id());
            g.put("name", m.name());
            g.put("peer_urls", m.peerUrls());
            g.put("client_urls", m.clientUrls());
            g.put("is_learner", m.isLearner());
            return g;
        } else if (r instanceof StateRecord.Lease l) {
            GenericRecord g = new GenericData.Record(LEASE);
            g.put("id", l.id());
            g.put("ttl", l.ttl());
            g.put("remaining_ttl", l.remainingTtl());
            return g;
        }
        if (r instanceof StateRecord.BucketEntry b) {
            GenericRecord g = new GenericData.Record(BUCKET_ENTRY);
            g.put("bucket", b.bucket());
            g.put("key", ByteBuffer.wrap(b.key()));
            g.put("value", ByteBuffer.wrap(b.value()));
            return g;
        }
        StateRecord.KeyValue kv = (StateRecord.KeyValue) r;
        GenericRecord g = new GenericData.Record(KEY_VALUE);
        g.put("key", ByteBuffer.wrap(kv.key()));
        g.put("value", ByteBuffer.wrap(kv.value()));
        g.put("create_revision", kv.createRevision());
        g.put("mod_revision", kv.modRevision());
        g.put("version", kv.version());
        g.put("lease", kv.lease());
        return g;
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
