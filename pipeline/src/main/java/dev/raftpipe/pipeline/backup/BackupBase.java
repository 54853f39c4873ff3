package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.DbMeta;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.HistoryCopy;
import dev.raftpipe.codecs.db.HistoryEdit;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.snap.SnapWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The base of a backup whose source keeps most of its state in etcd's db (a purged data dir, an etcd snapshot):
 * {@code member/snap/db} written fresh from the source's whole history with the rules applied to every stored
 * revision and the membership edited, and a {@code .snap} that agrees with it. Its v2 store holds the membership
 * only: v2 data is not redacted key by key, so it is left out (etcd 3.4 and 3.5 serve v3 data from the db).
 */
public final class BackupBase {
    private BackupBase() {
    }

    /**
     * @param source the source db's meta (consistent_index, term, revision) as read before the copy
     * @param snap   the {@code .snap} file written beside the db
     */
    public record Written(EtcdDbFile.Published db, HistoryEdit.Summary edits, DbMeta source, Path snap) {
    }

    /**
     * @param conf    and {@code members}: what the {@code .snap} names, the backup's one member or the source's
     *                membership when it is kept
     */
    static Written write(Path sourceDb, SnapshotTrailer.Check trailer, HistoryEdit edit, Path snapDir, long snapTerm,
                         long snapIndex, ConfState conf, List<StateRecord.Member> members) throws IOException {
        try (EtcdDb db = EtcdDb.open(sourceDb, trailer)) {
            HistoryCopy copy = new HistoryCopy(db, edit);
            EtcdDbFile.Published published = EtcdDbFile.publish(snapDir.resolve("db"), copy, false);
            Path snap = SnapWriter.write(snapDir, snapTerm, snapIndex, conf, members);
            return new Written(published, copy.summary(), db.meta(), snap);
        }
    }
}
