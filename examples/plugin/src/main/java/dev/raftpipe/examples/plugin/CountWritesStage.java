package dev.raftpipe.examples.plugin;

import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.etcd.EntryPayload;
import dev.raftpipe.codecs.etcd.EntryPayloads;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;
import dev.raftpipe.stages.BlockingIo;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The example plugin's stage: passes WAL records through unchanged and counts the puts per key prefix (the first
 * {@code depth} path segments; default {@code raftpipe.example.count-writes.depth} from this JAR's reference.conf),
 * written as JSON to {@code out} when the stream ends, on raftpipe's blocking-I/O dispatcher. The run waits for that
 * write: the stage materializes its completion.
 *
 * <pre>
 * stages = [ { stage = resolve }, { stage = count-writes, out = counts.json, depth = 2 } ]
 * </pre>
 */
public final class CountWritesStage implements StageFactory {
    @Override
    public String name() {
        return "count-writes";
    }

    @Override
    public Stage create(StageSettings settings) {
        Path out = settings.path("out");
        int depth = settings.intValue("depth", settings.launcherConfig().getInt("raftpipe.example.count-writes.depth"));
        if (depth < 1) {
            throw settings.invalid("depth", "must be at least 1, not " + depth);
        }
        // passes on what it receives: after resolve, still a resolved log (a replay sink may follow)
        Payload passed = settings.receives().filter(p -> p == Payload.RESOLVED_LOG).orElse(Payload.WAL_RECORDS);
        return new Stage.FlowStage(Payload.WAL_RECORDS, passed, counting(out, depth));
    }

    private static Flow<WalRecord, WalRecord, CompletionStage<Done>> counting(Path out, int depth) {
        return Flow.<WalRecord, WalRecord, CompletionStage<Done>>fromMaterializer((mat, attributes) -> {
            Executor blocking = mat.system().dispatchers().lookup(BlockingIo.DISPATCHER);
            Map<String, Long> counts = new TreeMap<>(); // one per materialization, touched by the stage only
            return Flow.<WalRecord>create()
                    .map(record -> {
                        count(record, counts, depth);
                        return record;
                    })
                    .watchTermination((notUsed, done) -> done.thenApplyAsync(d -> write(out, counts), blocking));
        }).mapMaterializedValue(nested -> nested.thenCompose(written -> written));
    }

    private static void count(WalRecord record, Map<String, Long> counts, int depth) {
        if (!(record instanceof WalRecord.EntryRecord e)) {
            return;
        }
        try {
            if (EntryPayloads.decode(e.entry()) instanceof EntryPayload.Request r
                    && r.request().view() instanceof EtcdRequest.Put p) {
                String[] parts = new String(p.key(), StandardCharsets.UTF_8).split("/", -1);
                String prefix = String.join("/", java.util.Arrays.copyOfRange(parts, 0, Math.min(parts.length, depth)));
                counts.merge(prefix + "/", 1L, Long::sum);
            }
        } catch (MalformedMessageException ignored) {
            // counting only; the sinks downstream report bad entries
        }
    }

    private static Done write(Path out, Map<String, Long> counts) {
        StringBuilder json = new StringBuilder("{");
        counts.forEach((prefix, n) -> json.append(json.length() > 1 ? "," : "").append('"').append(prefix)
                .append("\":").append(n));
        try {
            Files.writeString(out, json.append("}\n").toString());
            return Done.getInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
