package dev.raftpipe.stages;

import dev.raftpipe.codecs.archive.ArchiveMeta;

import java.nio.file.Path;

/** What {@link SnapshotArchive#sink} published: the archive, its digest, sizes and whether it self-tested. */
public record ArchiveSummary(Path archive, ArchiveMeta meta, String checksum, long archiveBytes, boolean selfTested) {
}
