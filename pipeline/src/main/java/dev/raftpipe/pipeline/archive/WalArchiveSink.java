package dev.raftpipe.pipeline.archive;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.WalSink;
import dev.raftpipe.stages.WalSinkSettings;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * WAL records (after {@code resolve}, and {@code redact} if any) as one WAL archive: written as a WAL directory in a
 * scratch directory beside {@code out} (segments hold only what was written), then packed and self-tested by
 * {@link WalArchiveJob}; the scratch directory is removed either way, and a failed stream publishes nothing.
 */
public final class WalArchiveSink {
    private WalArchiveSink() {
    }

    public static Sink<WalRecord, CompletionStage<WalArchiveJob.Packed>> to(Path out, Optional<Sealer> sealer,
                                                                             Config config) {
        return Sink.<WalRecord, CompletionStage<WalArchiveJob.Packed>>fromMaterializer((mat, attributes) -> {
            Path scratch = TempOutput.beside(out);
            return WalSink.toDirectory(scratch.resolve("member/wal"), WalSinkSettings.create(config)
                            .withPreallocate(false))
                    .mapMaterializedValue(written -> written
                            .thenApplyAsync(summary -> {
                                try {
                                    return WalArchiveJob.pack(scratch.resolve("member"), out, sealer, config);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }, mat.system().dispatchers().lookup(BlockingIo.DISPATCHER))
                            .whenComplete((packed, failure) -> {
                                try {
                                    FileTrees.delete(scratch);
                                } catch (IOException ignored) {
                                    // named as ours: the next run beside the archive sweeps it
                                }
                            }));
        }).mapMaterializedValue(nested -> nested.thenCompose(packed -> packed));
    }
}
