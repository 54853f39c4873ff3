package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.snap.SnapDir;
import dev.raftpipe.codecs.snap.SnapFile;
import dev.raftpipe.codecs.wal.WalSegment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An etcd member's data dir as etcd starts from it: the db ({@code member/snap/db}) holds the keyspace at its
 * consistent_index, the newest {@code .snap} file the membership at its index, and the WAL
 * ({@code member/wal}, old segments purged) the entries after them.
 *
 * @param snap the newest raft snapshot; empty for a member that never took one (its WAL starts at index 1)
 */
public record EtcdDataDir(Path dir, Path db, Path walDir, Optional<SnapFile> snap, List<WalSegment> segments) {

    public EtcdDataDir {
        segments = List.copyOf(segments);
    }

    public static EtcdDataDir open(Path dir) throws IOException {
        return open(dir, MemberDir.of(dir).walDir());
    }

    /** A data dir whose WAL is elsewhere (etcd's {@code --wal-dir}). */
    public static EtcdDataDir open(Path dir, Path walDir) throws IOException {
        MemberDir member = MemberDir.of(dir).withWalDir(Optional.of(walDir));
        if (!Files.isDirectory(member.path())) {
            throw new NoSuchFileException(dir.toString(), null, Files.isDirectory(dir)
                    ? "not an etcd data dir (no member/ directory in it)" : "no such data dir");
        }
        Path db = member.db();
        if (!Files.isRegularFile(db)) {
            throw new NoSuchFileException(db.toString(), null, "the data dir has no db (member/snap/db)");
        }
        List<WalSegment> segments = Files.isDirectory(walDir) ? WalSegment.list(walDir) : List.of();
        return new EtcdDataDir(dir, db, walDir, SnapDir.newest(member.snapDir()), segments);
    }

    /** The first index the WAL can give: its first segment's (etcd names a segment after its first entry). */
    public long walFirstIndex() {
        return segments.isEmpty() ? Long.MAX_VALUE : segments.get(0).index();
    }

    /**
     * etcd starts from the db at {@code consistentIndex} and needs every entry after it: a WAL whose first
     * segment starts later was purged too far (or the db is stale), and nothing can fill the gap.
     */
    public void requireWalFrom(long consistentIndex) {
        if (segments.isEmpty()) {
            throw new VerificationException(walDir + ": no WAL segments; etcd needs the entries after the db's "
                    + "consistent_index " + consistentIndex);
        }
        if (walFirstIndex() > consistentIndex + 1) {
            throw new VerificationException(walDir + " starts at index " + walFirstIndex() + " but the db holds the "
                    + "state only up to consistent_index " + consistentIndex + ": entries " + (consistentIndex + 1)
                    + ".." + (walFirstIndex() - 1) + " are missing");
        }
    }
}
