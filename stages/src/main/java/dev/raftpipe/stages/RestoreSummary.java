package dev.raftpipe.stages;

import dev.raftpipe.codecs.state.StateCounts;
import dev.raftpipe.store.BackendMeta;

import java.nio.file.Path;

/** What {@link BackendRestoreSink} published: the backend, its meta, and the records it was built from. */
public record RestoreSummary(Path backend, BackendMeta meta, StateCounts counts) {
}
