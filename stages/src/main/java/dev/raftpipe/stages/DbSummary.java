package dev.raftpipe.stages;

import dev.raftpipe.codecs.bolt.BoltMeta;
import dev.raftpipe.codecs.db.DbMeta;
import dev.raftpipe.codecs.db.SnapshotTrailer;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link DbSource} read: the bbolt meta it used (and why, if it fell back), the trailer result,
 * etcd's position (consistent_index, term, revisions) and how many records it emitted.
 *
 * @param storedRevisions entries of the {@code key} bucket
 */
public record DbSummary(Path db, BoltMeta bolt, Optional<String> metaFallback, SnapshotTrailer.Result trailer,
                        DbMeta meta, long storedRevisions, long records) {
}
