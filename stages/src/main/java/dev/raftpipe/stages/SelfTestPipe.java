package dev.raftpipe.stages;

import dev.raftpipe.codecs.archive.ArchiveLimits;
import dev.raftpipe.codecs.archive.ArchiveReader;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.VerifiedArchive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A restore's reading of an archive, done on the bytes as they are written: what goes into {@link #sink()} is read
 * back by {@link ArchiveReader} on a thread of its own, so an archive that is streamed away (never kept whole on
 * this machine) is still self-tested before it is published. A reader that fails stops reading and closes the pipe,
 * so the writer fails too instead of waiting.
 */
final class SelfTestPipe {
    private static final int PIPE_BYTES = 1 << 20;

    private final PipedOutputStream sink;
    private final CompletableFuture<VerifiedArchive> read = new CompletableFuture<>();

    private SelfTestPipe(ArchiveLimits limits, Optional<Sealer> sealer) throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE_BYTES);
        this.sink = new PipedOutputStream(in);
        Thread reader = new Thread(() -> {
            try (in) {
                read.complete(ArchiveReader.read(new BufferedInputStream(in, 1 << 16), limits, sealer,
                        Optional.of(r -> { })));
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        }, "raftpipe-self-test");
        reader.setDaemon(true);
        reader.start();
    }

    static SelfTestPipe start(ArchiveLimits limits, Optional<Sealer> sealer) throws IOException {
        return new SelfTestPipe(limits, sealer);
    }

    OutputStream sink() {
        return sink;
    }

    /** The reader's failure when it has failed: the cause of a write that found the pipe closed. */
    Optional<Throwable> failure() {
        if (!read.isCompletedExceptionally()) {
            return Optional.empty();
        }
        try {
            read.join();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Ends the archive and waits for what the reader made of it. */
    VerifiedArchive finish() throws IOException {
        sink.close();
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during the self-test");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c);
        }
    }
}
