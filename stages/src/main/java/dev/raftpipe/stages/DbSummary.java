package dev.raftpipe.stages;

import dev.raftpipe.codecs.bolt.BoltMeta;
import dev.raftpipe.codecs.bolt.MetaFallback;
import dev.raftpipe.codecs.db.DbMeta;
import dev.raftpipe.codecs.db.SnapshotTrailer;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link DbSource} read: the bbolt meta it used (and why, if it fell back), the trailer result,
 * etcd's position (consistent_index, term, revisions) and how many records it emitted.
 *
 * @param storedRevisions entries of the {@code key} bucket
 * @param snapIndex       the index of the {@code .snap} file membership came from, for a data dir that has one
 */
public record DbSummary(Path db, BoltMeta bolt, Optional<MetaFallback> metaFallback, SnapshotTrailer.Result trailer,
                        DbMeta meta, long storedRevisions, long records, OptionalLong snapIndex) {
}
