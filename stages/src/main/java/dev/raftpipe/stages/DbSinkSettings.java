package dev.raftpipe.stages;

import dev.raftpipe.codecs.etcd.EtcdVersion;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;
import dev.raftpipe.codecs.db.DbReadOptions;

import java.nio.file.Path;
import java.util.Optional;

/** Settings of {@link DbSink}; defaults under {@code raftpipe.db-sink} in reference.conf. */
public final class DbSinkSettings {
    private final Optional<EtcdVersion> etcdVersion;
    private final boolean snapshotTrailer;
    private final DbReadOptions readOptions;
    private final long revisionBump;

    private DbSinkSettings(Optional<EtcdVersion> etcdVersion, boolean snapshotTrailer, DbReadOptions readOptions,
                           long revisionBump) {
        this.etcdVersion = etcdVersion;
        this.snapshotTrailer = snapshotTrailer;
        this.readOptions = readOptions;
        this.revisionBump = revisionBump;
    }

    /** The settings of the actor system's configuration (its {@code reference.conf} and {@code application.conf}). */
    public static DbSinkSettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    public static DbSinkSettings create(Config config) {
        Config c = config.getConfig("raftpipe.db-sink");
        String version = c.getString("etcd-version");
        String temp = c.getString("temp-dir");
        return new DbSinkSettings(version.equals("auto") ? Optional.empty() : Optional.of(EtcdVersion.of(version)),
                c.getBoolean("snapshot-trailer"), new DbReadOptions(c.getBytes("sort-memory"),
                temp.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(temp)), 0);
    }

    /** The etcd whose db etcdVersion to write; empty: the version the state came from, else 3.5. */
    public DbSinkSettings withEtcdVersion(Optional<EtcdVersion> etcd) {
        return new DbSinkSettings(etcd, snapshotTrailer, readOptions, revisionBump);
    }

    /** Append the SHA-256 trailer that makes the db an {@code etcdctl snapshot save} file. */
    public DbSinkSettings withSnapshotTrailer(boolean on) {
        return new DbSinkSettings(etcdVersion, on, readOptions, revisionBump);
    }

    public DbSinkSettings withTempDir(Path dir) {
        return new DbSinkSettings(etcdVersion, snapshotTrailer, readOptions.withTempDir(dir), revisionBump);
    }

    /** etcdutl's {@code --bump-revision N --mark-compacted} (0: none). */
    public DbSinkSettings withRevisionBump(long amount) {
        return new DbSinkSettings(etcdVersion, snapshotTrailer, readOptions, amount);
    }

    public long revisionBump() {
        return revisionBump;
    }

    public Optional<EtcdVersion> etcdVersion() {
        return etcdVersion;
    }

    public boolean snapshotTrailer() {
        return snapshotTrailer;
    }

    public DbReadOptions readOptions() {
        return readOptions;
    }
}
