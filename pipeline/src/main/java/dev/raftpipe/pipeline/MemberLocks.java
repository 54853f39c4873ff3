package dev.raftpipe.pipeline;

import dev.raftpipe.codecs.db.EtcdDataDir;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.wal.WalSegment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a running etcd holds a data dir, found by the locks etcd takes: bbolt {@code flock}s the db, and
 * etcd's fileutil locks the WAL segments from its newest snapshot's on with open-file-description
 * {@code fcntl} locks on Linux. Java's {@code FileChannel.tryLock} is an {@code fcntl} lock, which conflicts
 * with those but not with {@code flock}; the db's flock is read from {@code /proc/locks}.
 */
public final class MemberLocks {
    private MemberLocks() {
    }

    /** Refuses a data dir a running etcd holds, naming the lock that shows it. */
    public static void refuseIfRunning(EtcdDataDir dir) throws IOException {
        refuse(dir.dir(), heldLocks(dir));
    }

    /**
     * The same for a data dir that may hold a WAL alone (no db yet): its newest segment in {@code walDir} (etcd's
     * {@code --wal-dir}, or {@code member/wal}) and its {@code member/snap/db} where there is one.
     */
    public static void refuseIfRunning(Path dataDir, Path walDir) throws IOException {
        Path db = MemberDir.of(dataDir).db();
        refuse(dataDir, heldLocks(WalSegment.list(walDir), Files.isRegularFile(db) ? db : null));
    }

    private static void refuse(Path dataDir, List<String> held) {
        if (!held.isEmpty()) {
            throw new RefusedException(dataDir + " belongs to a running etcd (it holds a lock on "
                    + String.join(" and ", held) + "): stop it, or read the running member with --endpoint <its client URL> "
                    + "(seal, replay, backup)");
        }
    }

    /** Refuses a db file a running etcd holds (its bbolt flock). */
    public static void refuseIfLocked(Path db) throws IOException {
        if (flocked(db)) {
            throw new RefusedException(db + " is open in a running etcd (it holds a lock on it): stop it, or read "
                    + "the running member with --endpoint <its client URL> (seal, replay)");
        }
    }

    /** The files of the data dir a process holds locked: the newest WAL segment (fcntl), the db (flock). */
    public static List<String> heldLocks(EtcdDataDir dir) throws IOException {
        return heldLocks(dir.segments(), dir.db());
    }

    private static List<String> heldLocks(List<WalSegment> segments, Path dbOrNull) throws IOException {
        List<String> held = new ArrayList<>();
        if (!segments.isEmpty()) {
            Path newest = segments.get(segments.size() - 1).path();
            if (locked(newest)) {
                held.add("member/wal/" + newest.getFileName());
            }
        }
        if (dbOrNull != null && flocked(dbOrNull)) {
            held.add("member/snap/db");
        }
        return held;
    }

    private static boolean locked(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            FileLock lock = ch.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it, not an etcd
        }
    }

    /** A FLOCK line of /proc/locks on the db's device and inode ("maj:min:inode", major and minor in hex). */
    private static boolean flocked(Path db) throws IOException {
        Path locks = Path.of("/proc/locks");
        if (!Files.isReadable(locks)) {
            return false;
        }
        long inode = ((Number) Files.getAttribute(db, "unix:ino")).longValue();
        long dev = ((Number) Files.getAttribute(db, "unix:dev")).longValue();
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        for (String line : Files.readAllLines(locks)) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 5 && f[1].equals("FLOCK") && sameDevice(f[5], major, minor, inode)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameDevice(String field, long major, long minor, long inode) {
        String[] p = field.split(":");
        try {
            return p.length == 3 && Long.parseLong(p[0], 16) == major && Long.parseLong(p[1], 16) == minor
                    && Long.parseLong(p[2]) == inode;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
