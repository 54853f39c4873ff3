package dev.raftpipe.store;

import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.raft.Entry;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A SQLite file holding what etcd would serve after applying a log up to {@code consistent_index}.
 * Entries go in through {@link #apply}, one SQLite transaction per call, which also writes
 * consistent_index and term: the file is always a consistent point in time. Not thread-safe; one writer.
 */
public final class Backend implements AutoCloseable {
    private final Path file;
    private final Connection conn;
    private final StateMachine machine;

    private Backend(Path file, Connection conn, StateMachine machine) {
        this.file = file;
        this.conn = conn;
        this.machine = machine;
    }

    /** The files SQLite keeps beside a database: its write-ahead log, its shared memory, a rollback journal. */
    public static List<Path> sideFiles(Path file) {
        return List.of(Path.of(file + "-wal"), Path.of(file + "-shm"), Path.of(file + "-journal"));
    }

    /**
     * Deletes a backend file and its side files, trying each; the first failure is thrown once all were tried,
     * with the others suppressed in it.
     */
    public static void delete(Path file) throws IOException {
        IOException failure = null;
        for (Path p : Stream.concat(Stream.of(file), sideFiles(file).stream()).toList()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Opens a backend, creating the file if it is missing and migrating an older schema forward. */
    public static Backend open(Path file, BackendSettings settings) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new BackendException("cannot create backend " + file + ": " + parent + " is not a directory", null);
        }
        // SQLite answers a mode switch or schema change that meets a reader's lock with SQLITE_BUSY at once,
        // without its busy handler; so opening retries until the busy timeout
        long deadline = System.nanoTime() + settings.busyTimeout().toNanos();
        while (true) {
            try {
                return tryOpen(file, settings);
            } catch (BackendException e) {
                if (!(e.getCause() instanceof SQLException sql) || !isBusy(sql) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted while opening " + file, e);
            }
        }
    }

    private static boolean isBusy(SQLException e) {
        return e instanceof org.sqlite.SQLiteException s
                && (s.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_BUSY
                || s.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_LOCKED);
    }

    /** etcd's own backend given where a raftpipe backend belongs: say what it is and what reads it. */
    static void refuseEtcdDb(Path file) {
        try {
            if (Files.isRegularFile(file) && EtcdDb.isBolt(file)) {
                throw new BackendFormatException(file + " is etcd's bbolt backend (member/snap/db or an etcdctl snapshot), "
                        + "not a raftpipe backend: read it with --data-dir or --etcd-snapshot, or raftpipe db inspect");
            }
        } catch (IOException e) {
            throw new BackendException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A new backend file is made 0600 before SQLite opens it: its -wal and -shm files copy the database's mode. */
    static void createPrivately(Path file) {
        if (!Files.exists(file)) {
            try {
                PrivateFiles.createFile(file);
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile by another opener: theirs is as good
            } catch (IOException e) {
                throw new BackendException("cannot create backend " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static Backend tryOpen(Path file, BackendSettings settings) {
        Connection conn = null;
        try {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            // else the driver runs SELECT last_insert_rowid() after every insert
            config.setGetGeneratedKeys(false);
            refuseEtcdDb(file);
            createPrivately(file);
            conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA busy_timeout = " + settings.busyTimeout().toMillis());
                Schema.refuseUnknown(conn, file.toString());
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = " + settings.synchronous());
                st.execute("PRAGMA cache_size = -" + settings.cacheSize() / 1024);
            }
            Schema.migrate(conn, file.toString());
            conn.setAutoCommit(false);
            return new Backend(file, conn, new StateMachine(conn, settings.minLeaseTtl()));
        } catch (SQLException e) {
            closeQuietly(conn);
            throw new BackendException("cannot open backend " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public BackendMeta meta() {
        return machine.meta();
    }

    public long consistentIndex() {
        return machine.consistentIndex();
    }

    /** The etcd cluster whose WAL the backend was replayed from; empty when none is known (a db or archive). */
    public OptionalLong clusterId() {
        long id = machine.clusterId();
        return id == 0 ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** Records the cluster a restored state came from (an archive that knows it), in its own transaction. */
    public void recordCluster(long clusterId) {
        machine.claimCluster(clusterId);
        try {
            machine.saveMeta();
            conn.commit();
        } catch (SQLException e) {
            BackendException failure = new BackendException("recording the cluster ID in " + file + " failed: "
                    + e.getMessage(), e);
            rollbackAfter(failure);
            throw failure;
        }
    }

    /**
     * Checks that a WAL of {@code walClusterId} may go into this backend, and claims the backend for that cluster
     * when it knows none yet (saved with the next applied batch). Entries of another cluster would mix two
     * histories whose indexes mean different things: {@link ClusterMismatchException}, unless {@code allowOther}.
     */
    public void requireCluster(long walClusterId, boolean allowOther) {
        long known = machine.clusterId();
        if (walClusterId == 0) {
            return;
        }
        if (known != 0 && known != walClusterId && !allowOther) {
            throw new ClusterMismatchException(file, known, walClusterId);
        }
        machine.claimCluster(walClusterId);
    }

    /**
     * Applies, in one transaction, every entry whose index is above consistent_index; entries at or below
     * it are skipped (the applied_index guard), but for their membership effect when the backend's membership
     * is older than its keyspace (seeded from an etcd db and its .snap file). The entries must continue the backend without a gap,
     * else {@link IndexGuardException} and nothing is applied. On any failure the transaction rolls back.
     */
    public BatchResult apply(List<Entry> entries) {
        return apply(entries, Long.MAX_VALUE);
    }

    /**
     * As {@link #apply(List)}, but stops before the first entry whose apply would take the revision past
     * {@code maxRevision} (point in time by revision): the state is then etcd's after the last entry whose apply ends
     * at a revision at or below it. An entry raises the revision by one at most, so only an entry applied at the
     * limit is tried under a savepoint and undone if it writes.
     */
    public BatchResult apply(List<Entry> entries, long maxRevision) {
        int applied = 0;
        int skipped = 0;
        long first = 0;
        long stoppedBefore = 0;
        long[] revisions = new long[entries.size()];
        boolean membershipChanged = false;
        Map<String, Long> rejected = new TreeMap<>();
        try {
            for (Entry e : entries) {
                long next = machine.consistentIndex() + 1;
                if (e.index() < next) {
                    membershipChanged |= machine.applyMembership(e);
                    skipped++;
                    continue;
                }
                if (e.index() > next) {
                    throw new IndexGuardException(next - 1, e.index());
                }
                Optional<String> reason;
                if (machine.revision() >= maxRevision) {
                    // the savepoint's state must be what a reload reads back
                    machine.saveMeta();
                    Savepoint before = conn.setSavepoint();
                    reason = machine.apply(e);
                    if (machine.revision() > maxRevision) {
                        conn.rollback(before);
                        machine.reload();
                        stoppedBefore = e.index();
                        break;
                    }
                    conn.releaseSavepoint(before);
                } else {
                    reason = machine.apply(e);
                }
                reason.ifPresent(why -> rejected.merge(why, 1L, Long::sum));
                first = applied == 0 ? e.index() : first;
                revisions[applied] = machine.revision();
                applied++;
            }
            if (applied > 0 || membershipChanged || stoppedBefore > 0) {
                machine.saveMeta();
                conn.commit();
            }
        } catch (SQLException e) {
            BackendException failure = new BackendException("applying to " + file + " failed: " + e.getMessage(), e);
            rollbackAfter(failure);
            throw failure;
        } catch (RuntimeException e) {
            rollbackAfter(e);
            throw e;
        }
        BackendMeta m = machine.meta();
        return new BatchResult(applied, skipped, first, applied == 0 ? 0 : m.consistentIndex(), m.revision(),
                m.consistentIndex(), rejected, stoppedBefore, Arrays.copyOf(revisions, applied));
    }

    /**
     * Rolls back after {@code failure}; a rollback that fails too (SQLite already rolled back after a full disk) is
     * kept beside it, so the first failure is the one reported.
     */
    private void rollbackAfter(RuntimeException failure) {
        try {
            rollback();
        } catch (RuntimeException r) {
            failure.addSuppressed(r);
        }
    }

    private void rollback() {
        try {
            conn.rollback();
            machine.reload();
        } catch (SQLException e) {
            throw new BackendException("rolling back " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** A read transaction on its own connection: a consistent view, never a half-applied batch. */
    public static BackendSnapshot snapshot(Path file) {
        return BackendSnapshot.open(file);
    }

    @Override
    public void close() {
        try {
            machine.close();
            conn.rollback();
        } catch (SQLException e) {
            throw new BackendException("closing backend " + file + " failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(conn);
        }
    }

    private static void closeQuietly(Connection conn) {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }
}
