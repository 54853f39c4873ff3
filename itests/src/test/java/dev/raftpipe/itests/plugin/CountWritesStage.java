package dev.raftpipe.itests.plugin;

import dev.raftpipe.codecs.etcd.EntryPayload;
import dev.raftpipe.codecs.etcd.EntryPayloads;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.internal.MalformedMessageException;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The example plugin: a stage that passes WAL records through unchanged and counts the puts per key
 * prefix (the first {@code depth} path segments), written as JSON to {@code out} when the stream ends.
 * Built into a JAR by the itests and run through {@code raftpipe run --plugins}.
 */
public final class CountWritesStage implements StageFactory {
    @Override
    public String name() {
        return "count-writes";
    }

    @Override
    public Stage create(StageSettings settings) {
        Path out = settings.path("out");
        int depth = settings.has("depth") ? Integer.parseInt(settings.string("depth")) : 3;
        // passes on what it receives: after resolve, still a resolved log (a replay sink may follow)
        Payload passed = settings.receives().filter(p -> p == Payload.RESOLVED_LOG).orElse(Payload.WAL_RECORDS);
        return new Stage.FlowStage(Payload.WAL_RECORDS, passed, Flow.<WalRecord>create()
                .statefulMap(() -> new TreeMap<String, Long>(),
                        (counts, record) -> {
                            count(record, counts, depth);
                            return Pair.create(counts, record);
                        },
                        counts -> {
                            write(out, counts);
                            return Optional.empty();
                        }));
    }

    private static void count(WalRecord record, Map<String, Long> counts, int depth) {
        if (!(record instanceof WalRecord.EntryRecord e)) {
            return;
        }
        try {
            if (EntryPayloads.decode(e.entry()) instanceof EntryPayload.Request r && r.request().view() instanceof EtcdRequest.Put p) {
                String key = new String(p.key(), StandardCharsets.UTF_8);
                String[] parts = key.split("/", -1);
                String prefix = String.join("/", java.util.Arrays.copyOfRange(parts, 0, Math.min(parts.length, depth))) + "/";
                counts.merge(prefix, 1L, Long::sum);
            }
        } catch (MalformedMessageException ignored) {
            // counting only; the sinks downstream report bad entries
        }
    }

    private static void write(Path out, Map<String, Long> counts) {
        StringBuilder json = new StringBuilder("{");
        counts.forEach((prefix, n) -> json.append(json.length() > 1 ? "," : "").append('"').append(prefix)
                .append("\":").append(n));
        try {
            Files.writeString(out, json.append("}\n").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
