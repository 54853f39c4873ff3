package dev.raftpipe.pipeline.db;

import dev.raftpipe.codecs.db.DbInspection;
import dev.raftpipe.codecs.db.DbInspector;
import dev.raftpipe.stages.DbSourceSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code db inspect}: one read of a db (plus a second of the {@code key} bucket only when etcd's hash skips
 * compacted revisions). It runs on the calling thread: a whole-file computation with no stream to compose,
 * so no actor system is started for it.
 */
public final class DbInspectJob {
    private DbInspectJob() {
    }

    /** The inspection and how long it took (from opening the file to the last hash). */
    public record Report(DbInspection inspection, Duration duration) {
    }

    public static Report run(Path db, DbSourceSettings settings) throws IOException {
        long start = System.nanoTime();
        DbInspection inspection = DbInspector.inspect(db, settings.trailerCheck(), settings.readOptions());
        return new Report(inspection, Duration.ofNanos(System.nanoTime() - start));
    }
}
