package dev.raftpipe.codecs.snap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.WireReader;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.raft.RaftMessages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A raft snapshot file of {@code member/snap} ({@code <term>-<index>.snap}): snappb framing (the data's
 * CRC-32C, then the data), a {@code raftpb.Snapshot} whose metadata holds index, term and ConfState, and whose
 * data is etcd's v2 store as JSON. etcd rebuilds membership from it on start: the members under
 * {@code /0/members/<id>} ({@code raftAttributes}: peer URLs and learner flag; {@code attributes}: name and
 * client URLs), the removed ones under {@code /0/removed_members}, the cluster version at {@code /0/version}.
 */
public record SnapFile(Path file, long index, long term, ConfState confState, List<StateRecord.Member> members,
                       List<Long> removed, String clusterVersion) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SnapFile {
        members = List.copyOf(members);
        removed = List.copyOf(removed);
    }

    public static SnapFile read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            byte[] data = framed(bytes, file);
            WireReader r = new WireReader(data, 0, data.length);
            int[] len = new int[1];
            byte[] store = new byte[0];
            long index = 0;
            long term = 0;
            ConfState conf = ConfState.of(List.of(), List.of());
            while (!r.atEnd()) {
                int tag = r.readTag();
                if (tag >>> 3 == 1) {
                    r.expectWireType(tag, WireReader.LENGTH_DELIMITED);
                    int from = r.readLengthDelimited(len);
                    store = Arrays.copyOfRange(data, from, from + len[0]);
                } else if (tag >>> 3 == 2) {
                    r.expectWireType(tag, WireReader.LENGTH_DELIMITED);
                    int from = r.readLengthDelimited(len);
                    WireReader m = new WireReader(data, from, len[0]);
                    while (!m.atEnd()) {
                        int t = m.readTag();
                        switch (t >>> 3) {
                            case 1 -> {
                                m.expectWireType(t, WireReader.LENGTH_DELIMITED);
                                int at = m.readLengthDelimited(len);
                                conf = RaftMessages.decodeConfState(Arrays.copyOfRange(data, at, at + len[0]));
                            }
                            case 2 -> index = m.readVarint();
                            case 3 -> term = m.readVarint();
                            default -> m.skipField(t);
                        }
                    }
                } else {
                    r.skipField(tag);
                }
            }
            return fromStore(file, index, term, conf, store);
        } catch (MalformedMessageException e) {
            throw new VerificationException(file + ": not a raft snapshot: " + e.getMessage());
        }
    }

    /** The snappb.Snapshot payload, its CRC-32C checked. */
    private static byte[] framed(byte[] bytes, Path file) throws MalformedMessageException {
        WireReader r = new WireReader(bytes, 0, bytes.length);
        long crc = -1;
        byte[] data = null;
        int[] len = new int[1];
        while (!r.atEnd()) {
            int tag = r.readTag();
            if (tag >>> 3 == 1) {
                r.expectWireType(tag, WireReader.VARINT);
                crc = r.readVarint();
            } else if (tag >>> 3 == 2) {
                r.expectWireType(tag, WireReader.LENGTH_DELIMITED);
                int from = r.readLengthDelimited(len);
                data = Arrays.copyOfRange(bytes, from, from + len[0]);
            } else {
                r.skipField(tag);
            }
        }
        if (data == null || crc < 0) {
            throw new VerificationException(file + ": not a raft snapshot (no " + (data == null ? "data" : "crc") + ")");
        }
        CRC32C c = new CRC32C();
        c.update(data);
        if (c.getValue() != crc) {
            throw new VerificationException(file + ": snapshot CRC mismatch: the file says " + Long.toHexString(crc)
                    + ", its data sums to " + Long.toHexString(c.getValue()));
        }
        return data;
    }

    private static SnapFile fromStore(Path file, long index, long term, ConfState conf, byte[] store) throws IOException {
        List<StateRecord.Member> members = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        String version = "";
        if (store.length > 0) {
            JsonNode zero = JSON.readTree(store).path("Root").path("Children").path("0").path("Children");
            for (Iterator<Map.Entry<String, JsonNode>> it = zero.path("members").path("Children").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                JsonNode children = m.getValue().path("Children");
                JsonNode raft = value(children.path("raftAttributes"));
                JsonNode attrs = value(children.path("attributes"));
                members.add(new StateRecord.Member(id(file, m.getKey()), attrs.path("name").asText(""),
                        strings(raft.path("peerURLs")), strings(attrs.path("clientURLs")),
                        raft.path("isLearner").asBoolean(false)));
            }
            for (Iterator<String> it = zero.path("removed_members").path("Children").fieldNames(); it.hasNext(); ) {
                removed.add(id(file, it.next()));
            }
            version = zero.path("version").path("Value").asText("");
        }
        members.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return new SnapFile(file, index, term, conf, members, removed, version);
    }

    private static JsonNode value(JsonNode node) throws IOException {
        String v = node.path("Value").asText("");
        return v.isEmpty() ? JSON.createObjectNode() : JSON.readTree(v);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(u -> out.add(u.asText()));
        return out;
    }

    private static long id(Path file, String hex) {
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new VerificationException(file + ": member key " + hex + " is not a hex ID");
        }
    }
}
