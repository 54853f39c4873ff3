package dev.raftpipe.pipeline.archive;

import dev.raftpipe.stages.ArchivePublisher;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a seal publishes its archive: the file {@code out}, or a publisher that streams it away (an object), with
 * {@code out} then naming only the seal's scratch files (its state spool, a scratch backend, a member's snapshot).
 */
public record SealTarget(Path out, Optional<ArchivePublisher> publisher) {
    public static SealTarget file(Path out) {
        return new SealTarget(out, Optional.empty());
    }
}
