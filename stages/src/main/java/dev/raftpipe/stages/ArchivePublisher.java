package dev.raftpipe.stages;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a seal publishes an archive that is not a local file (an object in S3-compatible storage): the archive is
 * written to it as a stream, self-tested as the bytes go, and becomes visible only when published. Its local path
 * still names the seal's scratch files.
 */
public interface ArchivePublisher {

    /** How messages and reports name the archive (its URL). */
    String name();

    /** Starts a publication; nothing is visible until {@link Publication#publish()}. */
    Publication begin() throws IOException;

    /** Publishes the archive's {@code .info.json} sidecar beside it, once the archive is published. */
    void publishSidecar(byte[] json) throws IOException;

    /** One archive being written; closing it unpublished discards it. */
    interface Publication extends Closeable {
        OutputStream stream();

        void publish() throws IOException;

        @Override
        void close();
    }
}
