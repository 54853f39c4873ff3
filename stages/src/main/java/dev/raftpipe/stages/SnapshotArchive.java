package dev.raftpipe.stages;

import dev.raftpipe.codecs.archive.ArchiveReader;
import dev.raftpipe.codecs.archive.ArchiveSidecar;
import dev.raftpipe.codecs.archive.ArchiveVerificationException;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.archive.VerifiedArchive;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Sealed snapshot archives (HashiCorp's raft-snapshot layout with an Avro state.bin): a sink that
 * seals state records into an archive published only after its self-test, and a source that verifies
 * an archive completely before it emits a single record.
 */
public final class SnapshotArchive {
    private static final int RECORDS_PER_WRITE = 512;

    private SnapshotArchive() {
    }

    public static Sink<StateRecord, CompletionStage<ArchiveSummary>> sink(Path out, ArchiveSettings settings) {
        return sink(out, settings, Optional.empty());
    }

    /**
     * The same, streamed to {@code publisher} when given (an object store) instead of renamed onto {@code out}, which
     * then only names the seal's scratch files.
     */
    public static Sink<StateRecord, CompletionStage<ArchiveSummary>> sink(Path out, ArchiveSettings settings,
                                                                          Optional<ArchivePublisher> publisher) {
        return BatchWorker.sink(Flow.<StateRecord>create().grouped(RECORDS_PER_WRITE),
                blocking -> new SealRun(out, settings, publisher));
    }

    /**
     * Reads the archive on the blocking dispatcher. With {@link ArchiveSettings#verifyFirst()} (the default) twice:
     * a full verification first, then the records, checked again on the way (the file could change in between),
     * so no record of an archive that fails is emitted. Without it once: records are emitted as they are decoded
     * and the stream fails at the end if the archive does not verify, which is enough for a sink that publishes
     * only when its stream completes (every raftpipe sink of state records does).
     */
    public static Source<StateRecord, CompletionStage<VerifiedArchive>> source(Path archive, ArchiveSettings settings) {
        return Source.<StateRecord, CompletionStage<VerifiedArchive>>fromMaterializer((mat, attributes) -> {
            Executor blocking = mat.system().dispatchers().lookup(BlockingIo.dispatcherOf(attributes));
            // records cross to the stream in batches: a hand-off per record costs more than decoding it
            return Source.<List<StateRecord>>queue(Math.max(1, settings.bufferRecords() / RecordBatches.RECORDS),
                            OverflowStrategy.backpressure())
                    .<CompletionStage<VerifiedArchive>>mapMaterializedValue(queue -> CompletableFuture.supplyAsync(
                            () -> produce(archive, settings, queue), blocking))
                    .<StateRecord>mapConcat(batch -> batch);
        }).mapMaterializedValue(nested -> nested.thenCompose(verified -> verified));
    }

    /**
     * Verifies the archive without decoding its records into anything: {@code raftpipe verify}, and the first pass
     * of every restore. A sidecar beside it, if any, must be readable and name the archive's digest.
     */
    public static VerifiedArchive verify(Path archive, ArchiveSettings settings) throws IOException {
        VerifiedArchive v = read(archive, settings, Optional.of(r -> { }));
        ArchiveSidecar.check(archive, v.checksum());
        return v;
    }

    private static VerifiedArchive produce(Path archive, ArchiveSettings settings,
                                           SourceQueueWithComplete<List<StateRecord>> queue) {
        try {
            Optional<VerifiedArchive> first = settings.verifyFirst()
                    ? Optional.of(verify(archive, settings)) : Optional.empty();
            RecordBatches.Collector<StateRecord> batches = new RecordBatches.Collector<>(RecordBatches::bytes,
                    batch -> queue.offer(batch).toCompletableFuture().join());
            VerifiedArchive second = read(archive, settings, Optional.of(batches::add));
            if (first.isEmpty()) {
                ArchiveSidecar.check(archive, second.checksum());
            }
            batches.flush();
            if (first.isPresent() && !first.get().checksum().equals(second.checksum())) {
                throw new ArchiveVerificationException(
                        archive + " changed while it was being restored");
            }
            queue.complete();
            return second;
        } catch (IOException | RuntimeException e) {
            queue.fail(e);
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private static VerifiedArchive read(Path archive, ArchiveSettings settings,
                                        Optional<ArchiveReader.StateConsumer> consumer) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            return ArchiveReader.read(in, settings.limits(), settings.sealer(), consumer);
        }
    }
}
