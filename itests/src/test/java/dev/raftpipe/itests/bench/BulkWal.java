package dev.raftpipe.itests.bench;

import com.google.protobuf.ByteString;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.InternalRaftRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.PutRequest;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RequestHeader;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.codecs.wal.WalWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * Makes a large etcd data dir for benchmarks: a real single-member WAL (its bootstrap: membership,
 * cluster version, the workload etcd served) continued with many committed puts in the same term,
 * shaped like a Kubernetes registry. etcd starts from the result and replays every entry.
 *
 * <p>Usage: {@code BulkWal <source-wal-dir> <out-data-dir> [entries] [value-bytes] [distinct-keys]}
 */
public final class BulkWal {
    private static final String[] KINDS = {"secrets", "configmaps", "configmaps", "configmaps"};
    private static final String[] NAMESPACES = {"payments", "web", "kube-system"};

    private BulkWal() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BulkWal <source-wal-dir> <out-data-dir> [entries] [value-bytes] [distinct-keys]");
            System.exit(1);
        }
        Path source = Path.of(args[0]);
        Path dataDir = Path.of(args[1]);
        long entries = args.length > 2 ? Long.parseLong(args[2]) : 120_000;
        int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
        long distinctKeys = args.length > 4 ? Long.parseLong(args[4]) : 5000;

        WalWriteSummary summary = write(source, dataDir, entries, valueBytes, distinctKeys);
        System.out.println("wrote " + dataDir + ": last index " + summary.lastIndex() + ", "
                + summary.segments().size() + " segments");
    }

    /** Copies the source WAL into {@code dataDir/member/wal} and appends {@code entries} committed puts. */
    public static WalWriteSummary write(Path source, Path dataDir, long entries, int valueBytes) throws IOException {
        return write(source, dataDir, entries, valueBytes, 5000);
    }

    /** As above, with puts spread over {@code distinctKeys} names per kind and namespace. */
    public static WalWriteSummary write(Path source, Path dataDir, long entries, int valueBytes, long distinctKeys)
            throws IOException {
        Files.createDirectories(dataDir.resolve("member/snap"));
        Random random = new Random(7);
        long term = 0;
        long index = 0;
        long vote = 0;
        try (WalReader reader = WalReader.open(source, WalReader.Options.DEFAULTS);
             WalWriter writer = WalWriter.create(dataDir.resolve("member/wal"), WalWriter.Options.DEFAULTS)) {
            for (WalRecord record = reader.next(); record != null; record = reader.next()) {
                if (record instanceof WalRecord.EntryRecord e) {
                    term = e.entry().term();
                    index = e.entry().index();
                } else if (record instanceof WalRecord.StateRecord s) {
                    vote = s.state().vote();
                }
                writer.write(record);
            }
            byte[] value = new byte[valueBytes / 2];
            for (long i = 0; i < entries; i++) {
                random.nextBytes(value);
                String key = "/registry/" + KINDS[(int) (i % KINDS.length)] + "/" + NAMESPACES[(int) (i % 3)]
                        + "/obj-" + (i % distinctKeys);
                byte[] data = InternalRaftRequest.newBuilder()
                        .setHeader(RequestHeader.newBuilder().setId(0x1000_0000L + i))
                        .setPut(PutRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8(key))
                                .setValue(ByteString.copyFromUtf8(HexFormat.of().formatHex(value))))
                        .build().toByteArray();
                writer.write(new WalRecord.EntryRecord(new Entry(term, ++index, EntryType.NORMAL, data)));
                if (i % 1000 == 999 || i == entries - 1) {
                    writer.write(new WalRecord.StateRecord(new HardState(term, vote, index)));
                }
            }
            return writer.commit();
        }
    }
}
