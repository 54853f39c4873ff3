package dev.raftpipe.pipeline.job;

import java.util.OptionalLong;

/**
 * Where a point-in-time replay stops: right after a committed index, or at a revision (after the last entry whose
 * apply ends at or below it); neither for the whole WAL. Point-in-time replays build a new backend.
 */
public record StopAt(OptionalLong index, OptionalLong revision) {
    public static final StopAt END = new StopAt(OptionalLong.empty(), OptionalLong.empty());

    public StopAt {
        if (index.isPresent() && revision.isPresent()) {
            throw new IllegalArgumentException("a point in time is an index or a revision, not both");
        }
    }

    public static StopAt index(long index) {
        return new StopAt(OptionalLong.of(index), OptionalLong.empty());
    }

    public static StopAt revision(long revision) {
        return new StopAt(OptionalLong.empty(), OptionalLong.of(revision));
    }

    public boolean isSet() {
        return index.isPresent() || revision.isPresent();
    }
}
