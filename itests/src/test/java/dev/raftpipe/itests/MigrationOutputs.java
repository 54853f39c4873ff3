package dev.raftpipe.itests;

import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.archive.VerifiedArchive;
import dev.raftpipe.stages.ArchiveSettings;
import dev.raftpipe.stages.SnapshotArchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a migration's outputs hold, in forms that compare equal when two runs made the same thing. */
final class MigrationOutputs {
    private MigrationOutputs() {
    }

    /** Any job's output: a backup dir's files by SHA-256, a backend's rows, an archive's verified content. */
    static Object of(Path output) {
        String name = output.getFileName().toString();
        if (name.endsWith(".db")) {
            return BackendRows.of(output);
        }
        if (name.endsWith(".snap")) {
            VerifiedArchive v = verify(output);
            return List.of(v.meta().index(), v.meta().term(), v.meta().revision(), v.counts(),
                    HexFormat.of().formatHex(v.contentDigest()));
        }
        return files(output);
    }

    static VerifiedArchive verify(Path archive) {
        try {
            return SnapshotArchive.verify(archive, ArchiveSettings.create(ConfigFactory.load()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Files and dirs a failed or interrupted job could leave behind ({@code .tmp-} names). */
    static List<Path> leftovers(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The journal's rows (name → status and worker), read without taking the writer's lock. */
    static Map<String, List<String>> journal(Path journal) {
        Map<String, List<String>> rows = new TreeMap<>();
        if (!Files.exists(journal)) {
            return rows;
        }
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal, config.toProperties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, status, worker, attempts FROM clusters")) {
            while (rs.next()) {
                rows.put(rs.getString(1), List.of(rs.getString(2), String.valueOf(rs.getString(3)),
                        String.valueOf(rs.getInt(4))));
            }
        } catch (SQLException e) {
            return rows; // not created yet, or mid-schema: ask again
        }
        return rows;
    }

    static long count(Map<String, List<String>> journal, String status) {
        return journal.values().stream().filter(r -> r.get(0).equals(status)).count();
    }
}
