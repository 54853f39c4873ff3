package dev.raftpipe.pipeline.archive;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
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
 * WAL records (after {@code resolve}, and {@code redact} if any) as one WAL archive, streamed: the WAL writer cuts
 * segments (holding only what was written) in a scratch directory beside {@code out} and hands each to a
 * {@link WalArchiveStream} as it closes, so the disk holds one segment besides the archive. On completion the archive
 * is finished and self-tested; a failed stream publishes nothing and leaves no scratch.
 */
public final class WalArchiveSink {
    private WalArchiveSink() {
    }

    /** A finished, self-tested archive not yet at its path: {@link WalArchiveStream#publish} or close it. */
    public record Finished(WalWriteSummary wal, WalArchiveStream archive) {
    }

    /**
     * An archive to write.
     *
     * @param walDir       where the WAL writer works (it must not exist); the caller removes it
     * @param snapDir      a member's snap directory whose db and .snap files go in first
     * @param metadata     the node and cluster ID to write instead of the stream's
     * @param keepSegments leave the WAL in {@code walDir} too (for a caller that reads it again) rather than
     *                     removing each segment once archived
     */
    public record Target(Path out, Optional<Sealer> sealer, Path walDir, Optional<Path> snapDir,
                         Optional<WalMetadata> metadata, boolean keepSegments) {
    }

    /** The pipeline stage: the archive is published when the stream completes. */
    public static Sink<WalRecord, CompletionStage<WalArchiveJob.Packed>> to(Path out, Optional<Sealer> sealer,
                                                                             Config config) {
        return Sink.<WalRecord, CompletionStage<WalArchiveJob.Packed>>fromMaterializer((mat, attributes) -> {
            Path scratch = TempOutput.beside(out);
            return finishing(new Target(out, sealer, scratch.resolve("wal"), Optional.empty(), Optional.empty(),
                    false), config)
                    .mapMaterializedValue(finished -> finished
                            .thenApply(f -> {
                                try (WalArchiveStream archive = f.archive()) {
                                    return archive.publish();
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                            .whenComplete((packed, failure) -> {
                                try {
                                    FileTrees.delete(scratch);
                                } catch (IOException ignored) {
                                    // named as ours: the next run beside the archive sweeps it
                                }
                            }));
        }).mapMaterializedValue(nested -> nested.thenCompose(packed -> packed));
    }

    /** The archive finished when the stream completes but left for the caller to publish (after its own checks). */
    public static Sink<WalRecord, CompletionStage<Finished>> finishing(Target t, Config config) {
        return Sink.<WalRecord, CompletionStage<Finished>>fromMaterializer((mat, attributes) -> {
            WalArchiveStream archive;
            try {
                archive = WalArchiveStream.create(t.out(), t.sealer(), config, t.snapDir(), t.keepSegments());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            WalSinkSettings settings = WalSinkSettings.create(config).withPreallocate(false).withFsync(false)
                    .withSegmentHandOff(archive);
            if (t.metadata().isPresent()) {
                settings = settings.withMetadata(t.metadata().get());
            }
            return WalSink.toDirectory(t.walDir(), settings)
                    .mapMaterializedValue(written -> written
                            .thenApplyAsync(summary -> {
                                try {
                                    archive.finish();
                                    return new Finished(summary, archive);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }, mat.system().dispatchers().lookup(BlockingIo.DISPATCHER))
                            .whenComplete((finished, failure) -> {
                                if (failure != null) {
                                    try {
                                        archive.close();
                                    } catch (IOException ignored) {
                                        // named as ours: the next run beside the archive sweeps it
                                    }
                                }
                            }));
        }).mapMaterializedValue(nested -> nested.thenCompose(finished -> finished));
    }
}
