package dev.raftpipe.pipeline.wal;

import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.stages.RaftLog;
import dev.raftpipe.stages.RaftLogSettings;
import dev.raftpipe.stages.RaftLogSummary;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.util.ByteString;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The {@code wal dump} pipeline: every entry of the resolved log as one JSON line. */
public final class WalDump {
    private WalDump() {
    }

    public static CompletionStage<RaftLogSummary> run(Path walDir, OutputStream out, boolean progress, ActorSystem system) {
        var config = system.settings().config();
        return Streams.print(WalSource.fromDirectory(walDir, WalSourceSettings.create(config))
                .viaMat(RaftLog.resolve(RaftLogSettings.create(config)), Keep.right())
                .via(Progress.ofWal("dumping " + walDir, walDir, progress))
                .statefulMapConcat(WalDump::renderer), out, system);
    }

    /** Renders entries, knowing each is committed once a state record at or above its index went by. */
    private static Function<WalRecord, Iterable<ByteString>> renderer() {
        long[] commit = {0};
        return record -> {
            if (record instanceof WalRecord.StateRecord s) {
                commit[0] = Math.max(commit[0], s.state().commit());
            } else if (record instanceof WalRecord.EntryRecord e) {
                return List.of(ByteString.fromArrayUnsafe(EntryJson.line(e.entry(), e.entry().index() <= commit[0])));
            }
            return List.of();
        };
    }
}
