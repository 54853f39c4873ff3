package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.job.StopAt;
import picocli.CommandLine.Option;

/** {@code --to-index} and {@code --to-revision}: a point-in-time replay or restore. */
class PointInTimeOptions {
    @Option(names = "--to-index", paramLabel = "<index>", description = {"Point in time: stop right after this "
            + "committed entry; a new backend only."})
    Long toIndex;

    @Option(names = "--to-revision", paramLabel = "<revision>", description = {"Point in time: stop after the last "
            + "entry whose apply ends at this revision or below; a new backend only."})
    Long toRevision;

    StopAt stopAt() {
        if (toIndex != null && toRevision != null) {
            throw new UsageException("--to-index or --to-revision, not both");
        }
        if (toIndex != null && toIndex < 1 || toRevision != null && toRevision < 1) {
            throw new UsageException("a point in time is an index or revision of 1 or more");
        }
        return toIndex != null ? StopAt.index(toIndex) : toRevision != null ? StopAt.revision(toRevision) : StopAt.END;
    }
}
