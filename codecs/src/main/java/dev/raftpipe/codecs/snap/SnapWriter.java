package dev.raftpipe.codecs.snap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.internal.WireWriter;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.raft.RaftMessages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes a raft snapshot file etcd rebuilds membership from on start ({@code <term>-<index>.snap}): the v2 store
 * as etcd's restore leaves it (directories {@code /0} and {@code /1}, each member's {@code raftAttributes} under
 * {@code /0/members/<id>}), in a {@code raftpb.Snapshot} with index, term and ConfState, framed by snappb with
 * the data's CRC-32C. 0600.
 */
public final class SnapWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEVER = "0001-01-01T00:00:00Z";

    private SnapWriter() {
    }

    public static Path write(Path snapDir, long term, long index, ConfState conf, List<StateRecord.Member> members)
            throws IOException {
        byte[] store = v2Store(members);
        byte[] confState = RaftMessages.encodeConfState(conf);
        int metaSize = WireWriter.bytesFieldSize(confState.length) + WireWriter.varintFieldSize(index)
                + WireWriter.varintFieldSize(term);
        byte[] meta = new byte[metaSize];
        new WireWriter(meta).bytesField(1, confState).varintField(2, index).varintField(3, term);
        byte[] snapshot = new byte[WireWriter.bytesFieldSize(store.length) + WireWriter.bytesFieldSize(meta.length)];
        new WireWriter(snapshot).bytesField(1, store).bytesField(2, meta);
        CRC32C crc = new CRC32C();
        crc.update(snapshot);
        byte[] framed = new byte[WireWriter.varintFieldSize(crc.getValue()) + WireWriter.bytesFieldSize(snapshot.length)];
        new WireWriter(framed).varintField(1, crc.getValue()).bytesField(2, snapshot);
        Path file = snapDir.resolve(String.format("%016x-%016x.snap", term, index));
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.FILE)) {
            ch.write(ByteBuffer.wrap(framed));
            ch.force(true);
        }
        return file;
    }

    /** The v2 store's JSON with only what etcd reads back: the node tree, and its current index. */
    static byte[] v2Store(List<StateRecord.Member> members) throws IOException {
        ObjectNode root = dir("/", 0);
        ObjectNode cluster = dir("/0", 0);
        ObjectNode memberDir = dir("/0/members", 1);
        long index = 0;
        for (StateRecord.Member m : members) {
            index++;
            String path = "/0/members/" + Long.toHexString(m.id());
            ObjectNode member = dir(path, index);
            ObjectNode raft = JSON.createObjectNode();
            raft.set("peerURLs", JSON.valueToTree(m.peerUrls()));
            if (m.isLearner()) {
                raft.put("isLearner", true);
            }
            member.with("Children").set("raftAttributes", leaf(path + "/raftAttributes", index, JSON.writeValueAsString(raft)));
            memberDir.with("Children").set(Long.toHexString(m.id()), member);
        }
        cluster.with("Children").set("members", memberDir);
        root.with("Children").set("0", cluster);
        root.with("Children").set("1", dir("/1", 0));
        ObjectNode store = JSON.createObjectNode();
        store.set("Root", root);
        store.put("CurrentIndex", index);
        return JSON.writeValueAsBytes(store);
    }

    private static ObjectNode dir(String path, long index) {
        ObjectNode n = node(path, index);
        n.putObject("Children");
        return n;
    }

    private static ObjectNode leaf(String path, long index, String value) {
        ObjectNode n = node(path, index);
        n.put("Value", value);
        n.putNull("Children");
        return n;
    }

    private static ObjectNode node(String path, long index) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Path", path);
        n.put("CreatedIndex", index);
        n.put("ModifiedIndex", index);
        n.put("ExpireTime", NEVER);
        n.put("Value", "");
        return n;
    }
}
