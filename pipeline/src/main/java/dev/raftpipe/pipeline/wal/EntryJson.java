package dev.raftpipe.pipeline.wal;

import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.pipeline.JsonBytes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.raftpipe.codecs.etcd.DecodedRequest;
import dev.raftpipe.codecs.etcd.EntryPayload;
import dev.raftpipe.codecs.etcd.EntryPayloads;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.raft.ConfChange;
import dev.raftpipe.codecs.raft.ConfChangeV2;
import dev.raftpipe.codecs.raft.Entry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One {@code wal dump} line: an entry and its decoded request. Bytes that are valid UTF-8 appear as
 * {@code "key"}; others as {@code "key_base64"}.
 */
public final class EntryJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String[] COMPARE_RESULTS = {"=", ">", "<", "!="};
    private static final String[] COMPARE_TARGETS = {"version", "create", "mod", "value", "lease"};

    private EntryJson() {
    }

    public static byte[] line(Entry entry, boolean committed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + entry.data().length * 2);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            unsigned(g, "index", entry.index());
            unsigned(g, "term", entry.term());
            g.writeStringField("type", entry.type().name().toLowerCase(Locale.ROOT));
            if (!committed) {
                g.writeBooleanField("committed", false);
            }
            payload(g, entry);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void payload(JsonGenerator g, Entry entry) throws IOException {
        EntryPayload p;
        try {
            p = EntryPayloads.decode(entry);
        } catch (MalformedMessageException e) {
            g.writeStringField("op", "unknown");
            g.writeStringField("error", e.getMessage());
            g.writeStringField("data_base64", Base64.getEncoder().encodeToString(entry.data()));
            return;
        }
        if (p instanceof EntryPayload.Noop) {
            g.writeStringField("op", "noop");
        } else if (p instanceof EntryPayload.ConfChangeEntry c) {
            confChange(g, c.change());
        } else if (p instanceof EntryPayload.ConfChangeV2Entry c) {
            confChangeV2(g, c.change());
        } else if (p instanceof EntryPayload.Request r) {
            DecodedRequest d = r.request();
            g.writeStringField("op", d.view().op());
            if (d.id() != 0) {
                g.writeStringField("request_id", NodeIds.hex(d.id()));
            }
            request(g, d.view());
        }
    }

    private static void confChange(JsonGenerator g, ConfChange c) throws IOException {
        g.writeStringField("op", "conf_change");
        g.writeStringField("change", c.type().name().toLowerCase(Locale.ROOT));
        g.writeStringField("node_id", NodeIds.hex(c.nodeId()));
        if (c.context().length > 0) {
            JsonBytes.write(g, "context", c.context());
        }
    }

    private static void confChangeV2(JsonGenerator g, ConfChangeV2 c) throws IOException {
        g.writeStringField("op", "conf_change");
        g.writeNumberField("transition", c.transition());
        g.writeArrayFieldStart("changes");
        for (ConfChangeV2.Single s : c.changes()) {
            g.writeStartObject();
            g.writeStringField("change", s.type().name().toLowerCase(Locale.ROOT));
            g.writeStringField("node_id", NodeIds.hex(s.nodeId()));
            g.writeEndObject();
        }
        g.writeEndArray();
        if (c.context().length > 0) {
            JsonBytes.write(g, "context", c.context());
        }
    }

    private static void request(JsonGenerator g, EtcdRequest req) throws IOException {
        if (req instanceof EtcdRequest.Put p) {
            JsonBytes.write(g, "key", p.key());
            JsonBytes.write(g, "value", p.value());
            if (p.lease() != 0) {
                g.writeStringField("lease", NodeIds.hex(p.lease()));
            }
            flag(g, "prev_kv", p.prevKv());
            flag(g, "ignore_value", p.ignoreValue());
            flag(g, "ignore_lease", p.ignoreLease());
        } else if (req instanceof EtcdRequest.DeleteRange d) {
            JsonBytes.write(g, "key", d.key());
            if (d.rangeEnd().length > 0) {
                JsonBytes.write(g, "range_end", d.rangeEnd());
            }
        } else if (req instanceof EtcdRequest.Range r) {
            JsonBytes.write(g, "key", r.key());
            if (r.rangeEnd().length > 0) {
                JsonBytes.write(g, "range_end", r.rangeEnd());
            }
        } else if (req instanceof EtcdRequest.Txn t) {
            g.writeArrayFieldStart("compare");
            for (EtcdRequest.Compare c : t.compares()) {
                compare(g, c);
            }
            g.writeEndArray();
            ops(g, "success", t.success());
            ops(g, "failure", t.failure());
        } else if (req instanceof EtcdRequest.Compaction c) {
            g.writeNumberField("revision", c.revision());
            flag(g, "physical", c.physical());
        } else if (req instanceof EtcdRequest.LeaseGrant l) {
            g.writeStringField("id", NodeIds.hex(l.id()));
            g.writeNumberField("ttl", l.ttl());
        } else if (req instanceof EtcdRequest.LeaseRevoke l) {
            g.writeStringField("id", NodeIds.hex(l.id()));
        } else if (req instanceof EtcdRequest.LeaseCheckpoint l) {
            g.writeArrayFieldStart("checkpoints");
            for (EtcdRequest.LeaseCheckpoint.Checkpoint c : l.checkpoints()) {
                g.writeStartObject();
                g.writeStringField("id", NodeIds.hex(c.id()));
                g.writeNumberField("remaining_ttl", c.remainingTtl());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (req instanceof EtcdRequest.MemberAttrSet m) {
            g.writeStringField("member_id", NodeIds.hex(m.memberId()));
            g.writeStringField("name", m.name());
            g.writeArrayFieldStart("client_urls");
            for (String u : m.clientUrls()) {
                g.writeString(u);
            }
            g.writeEndArray();
        } else if (req instanceof EtcdRequest.ClusterVersionSet v) {
            g.writeStringField("version", v.version());
        } else if (req instanceof EtcdRequest.V2 v) {
            g.writeStringField("method", v.method());
            g.writeStringField("path", v.path());
            if (!v.value().isEmpty()) {
                g.writeStringField("value", v.value());
            }
        } else if (req instanceof EtcdRequest.Alarm a) {
            g.writeNumberField("action", a.action());
            g.writeStringField("member_id", NodeIds.hex(a.memberId()));
            g.writeNumberField("alarm", a.alarm());
        } else if (req instanceof EtcdRequest.Auth a) {
            g.writeStringField("kind", a.kind());
        } else if (req instanceof EtcdRequest.DowngradeInfoSet d) {
            g.writeBooleanField("enabled", d.enabled());
            g.writeStringField("version", d.version());
        } else if (req instanceof EtcdRequest.Unknown u) {
            g.writeArrayFieldStart("fields");
            for (int f : u.fieldNumbers()) {
                g.writeNumber(f);
            }
            g.writeEndArray();
        }
    }

    private static void ops(JsonGenerator g, String name, List<EtcdRequest> ops) throws IOException {
        g.writeArrayFieldStart(name);
        for (EtcdRequest op : ops) {
            g.writeStartObject();
            g.writeStringField("op", op.op());
            request(g, op);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void compare(JsonGenerator g, EtcdRequest.Compare c) throws IOException {
        g.writeStartObject();
        JsonBytes.write(g, "key", c.key());
        if (c.rangeEnd().length > 0) {
            JsonBytes.write(g, "range_end", c.rangeEnd());
        }
        g.writeStringField("target", name(COMPARE_TARGETS, c.target()));
        g.writeStringField("result", name(COMPARE_RESULTS, c.result()));
        if (c.target() == EtcdRequest.Compare.VALUE) {
            JsonBytes.write(g, "value", c.value());
        } else {
            g.writeNumberField("value", c.number());
        }
        g.writeEndObject();
    }

    private static String name(String[] names, int value) {
        return value >= 0 && value < names.length ? names[value] : String.valueOf(value);
    }

    private static void flag(JsonGenerator g, String name, boolean value) throws IOException {
        if (value) {
            g.writeBooleanField(name, true);
        }
    }

    /** raft's index and term are uint64: printed unsigned, as etcd prints them. */
    private static void unsigned(com.fasterxml.jackson.core.JsonGenerator g, String name, long value)
            throws IOException {
        if (value >= 0) {
            g.writeNumberField(name, value);
        } else {
            g.writeNumberField(name, new BigInteger(Long.toUnsignedString(value)));
        }
    }
}
