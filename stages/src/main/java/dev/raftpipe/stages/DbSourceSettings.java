package dev.raftpipe.stages;

import com.typesafe.config.ConfigException;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;
import dev.raftpipe.codecs.db.DbReadOptions;
import dev.raftpipe.codecs.db.SnapshotTrailer;

import java.nio.file.Path;
import java.util.Locale;

/** Settings of {@link DbSource}; defaults under {@code raftpipe.db-source} in reference.conf. */
public final class DbSourceSettings {
    private final SnapshotTrailer.Check trailerCheck;
    private final DbReadOptions readOptions;

    private DbSourceSettings(SnapshotTrailer.Check trailerCheck, DbReadOptions readOptions) {
        this.trailerCheck = trailerCheck;
        this.readOptions = readOptions;
    }

    /** The settings of the actor system's configuration (its {@code reference.conf} and {@code application.conf}). */
    public static DbSourceSettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    /** Reads {@code raftpipe.db-source} from a full config. */
    public static DbSourceSettings create(Config config) {
        Config c = config.getConfig("raftpipe.db-source");
        String temp = c.getString("temp-dir");
        Path tempDir = temp.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(temp);
        SnapshotTrailer.Check check;
        try {
            check = SnapshotTrailer.Check.valueOf(c.getString("trailer-check").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(c.origin(), "trailer-check",
                    "one of auto, required, skip");
        }
        return new DbSourceSettings(check, new DbReadOptions(c.getBytes("sort-memory"), tempDir));
    }

    public SnapshotTrailer.Check trailerCheck() {
        return trailerCheck;
    }

    public DbReadOptions readOptions() {
        return readOptions;
    }

    /** {@code REQUIRED} for a file that must be an etcdctl snapshot, {@code SKIP} for {@code --skip-hash-check}. */
    public DbSourceSettings withTrailerCheck(SnapshotTrailer.Check check) {
        return new DbSourceSettings(check, readOptions);
    }

    public DbSourceSettings withSortMemoryBytes(long bytes) {
        return new DbSourceSettings(trailerCheck, readOptions.withSortMemoryBytes(bytes));
    }

    /** Where the key-order sort spills its runs (0600 files, removed when the source stops). */
    public DbSourceSettings withTempDir(Path dir) {
        return new DbSourceSettings(trailerCheck, readOptions.withTempDir(dir));
    }
}
