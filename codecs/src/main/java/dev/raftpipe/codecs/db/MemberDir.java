package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.snap.SnapWriter;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A member directory as etcd lays it out inside a data dir ({@code member/}: {@code snap/db}, the {@code .snap}
 * files beside it, {@code wal/} unless etcd's {@code --wal-dir} puts the WAL elsewhere). The one place that names
 * those paths, and that writes a member's raft start (its {@code .snap} and a WAL) beside a db, for restore and
 * backup alike. The directory may be a temporary sibling that is renamed to {@code member} once complete.
 *
 * @param path   the member directory
 * @param walDir where its WAL is: {@code wal/} inside it, or etcd's {@code --wal-dir}
 */
public record MemberDir(Path path, Path walDir) {
    /** The member directory's name in a data dir. */
    public static final String NAME = "member";

    /** The member directory of a data dir, its WAL inside it. */
    public static MemberDir of(Path dataDir) {
        return at(dataDir.resolve(NAME));
    }

    /** A member directory at this path (a data dir's {@code member}, or a temporary sibling of it). */
    public static MemberDir at(Path memberDir) {
        return new MemberDir(memberDir, memberDir.resolve("wal"));
    }

    /** The same member with its WAL elsewhere when {@code walDir} is given. */
    public MemberDir withWalDir(Optional<Path> walDir) {
        return walDir.map(w -> new MemberDir(path, w)).orElse(this);
    }

    /** The same member at another path (its WAL inside it stays inside it). */
    public MemberDir movedTo(Path memberDir) {
        return new MemberDir(memberDir, walDir.equals(path.resolve("wal")) ? memberDir.resolve("wal") : walDir);
    }

    public Path snapDir() {
        return path.resolve("snap");
    }

    /** The backend, {@code snap/db}. */
    public Path db() {
        return snapDir().resolve("db");
    }

    /** Creates the snap directory (owner-only, as etcd makes it). */
    public Path createSnapDir() throws IOException {
        return PrivateFiles.createDirectories(snapDir());
    }

    /** Writes the {@code .snap} file at (term, index) holding the membership; returns its path. */
    public Path writeSnap(long term, long index, ConfState conf, List<StateRecord.Member> members) throws IOException {
        return SnapWriter.write(snapDir(), term, index, conf, members);
    }

    /** Writes a new WAL: the metadata record, then these records in order, committed. */
    public void writeWal(WalWriter.Options options, WalMetadata ids, List<WalRecord> records) throws IOException {
        try (WalWriter w = WalWriter.create(walDir, options)) {
            w.write(new WalRecord.MetadataRecord(ids));
            for (WalRecord r : records) {
                w.write(r);
            }
            w.commit();
        }
    }
}
