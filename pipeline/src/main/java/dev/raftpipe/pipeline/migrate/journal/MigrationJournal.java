package dev.raftpipe.pipeline.migrate.journal;

import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.store.BackendException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record of truth of a migration: one row per cluster of the plan, written before a job starts
 * and when it ends, each change its own durable transaction. Re-running a plan reads it to skip what
 * finished and to resume what was interrupted. Not thread-safe: one owner (the coordinator) at a time.
 */
public final class MigrationJournal implements AutoCloseable {
    private static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final Connection conn;

    private MigrationJournal(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    public static MigrationJournal open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                PrivateFiles.createDirectories(parent);
            }
            if (!Files.exists(file)) {
                PrivateFiles.createFile(file); // SQLite gives its -wal and -shm files the database's mode
            }
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(10_000);
            Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            try (Statement st = conn.createStatement()) {
                int version;
                try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version > SCHEMA_VERSION) {
                    conn.close();
                    throw new BackendException(file + ": journal schema " + version + " is newer than this raftpipe ("
                            + SCHEMA_VERSION + ")", null);
                }
                st.executeUpdate("""
                        CREATE TABLE IF NOT EXISTS clusters(
                          name TEXT PRIMARY KEY,
                          fingerprint TEXT NOT NULL,
                          status TEXT NOT NULL,
                          attempts INTEGER NOT NULL,
                          entries INTEGER NOT NULL DEFAULT 0,
                          bytes INTEGER NOT NULL DEFAULT 0,
                          duration_ms INTEGER NOT NULL DEFAULT 0,
                          error TEXT,
                          worker TEXT,
                          updated_at TEXT NOT NULL)""");
                st.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            return new MigrationJournal(file, conn);
        } catch (IOException | SQLException e) {
            throw new BackendException(file + ": cannot open the journal: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public Optional<JournalEntry> get(String name) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT * FROM clusters WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public List<JournalEntry> all() {
        List<JournalEntry> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM clusters ORDER BY name")) {
            while (rs.next()) {
                out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Records that an attempt starts; counts it. */
    public void started(String name, String fingerprint, Optional<String> worker) {
        int attempts = get(name).filter(e -> e.fingerprint().equals(fingerprint)).map(JournalEntry::attempts).orElse(0);
        write(new JournalEntry(name, fingerprint, JobStatus.RUNNING, attempts + 1, 0, 0, 0, Optional.empty(), worker));
    }

    /** Records where a running job is (a worker of the cluster), keeping the rest. */
    public void runningOn(String name, String worker) {
        get(name).ifPresent(e -> write(new JournalEntry(e.name(), e.fingerprint(), e.status(), e.attempts(), e.entries(),
                e.bytes(), e.durationMillis(), e.error(), Optional.of(worker))));
    }

    public void finished(JournalEntry entry) {
        write(entry);
    }

    private void write(JournalEntry e) {
        try (PreparedStatement ps = conn.prepareStatement("""
                INSERT INTO clusters(name, fingerprint, status, attempts, entries, bytes, duration_ms, error, worker, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
                  attempts = excluded.attempts, entries = excluded.entries, bytes = excluded.bytes,
                  duration_ms = excluded.duration_ms, error = excluded.error, worker = excluded.worker,
                  updated_at = excluded.updated_at""")) {
            ps.setString(1, e.name());
            ps.setString(2, e.fingerprint());
            ps.setString(3, e.status().label());
            ps.setInt(4, e.attempts());
            ps.setLong(5, e.entries());
            ps.setLong(6, e.bytes());
            ps.setLong(7, e.durationMillis());
            ps.setString(8, e.error().orElse(null));
            ps.setString(9, e.worker().orElse(null));
            ps.setString(10, Instant.now().toString());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw failed(ex);
        }
    }

    private static JournalEntry row(ResultSet rs) throws SQLException {
        return new JournalEntry(rs.getString("name"), rs.getString("fingerprint"), JobStatus.ofLabel(rs.getString("status")),
                rs.getInt("attempts"), rs.getLong("entries"), rs.getLong("bytes"), rs.getLong("duration_ms"),
                Optional.ofNullable(rs.getString("error")), Optional.ofNullable(rs.getString("worker")));
    }

    private BackendException failed(SQLException e) {
        return new BackendException(file + ": journal: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
