package dev.raftpipe.pipeline.db;

import dev.raftpipe.codecs.db.DbInspection;
import dev.raftpipe.codecs.db.DbInspector;
import dev.raftpipe.stages.DbSourceSettings;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code db inspect}: one read of a db (plus a second of the {@code key} bucket only when etcd's hash skips
 * compacted revisions). It runs on the calling thread: a whole-file computation with no stream to compose,
 * so no actor system is started for it.
 */
public final class DbInspectJob {
    private DbInspectJob() {
    }

    public static DbInspection run(Path db, DbSourceSettings settings) throws IOException {
        return DbInspector.inspect(db, settings.trailerCheck(), settings.readOptions());
    }
}
