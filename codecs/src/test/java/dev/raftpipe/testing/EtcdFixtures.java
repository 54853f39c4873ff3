package dev.raftpipe.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * The real etcd 3.4 data dirs bundled under {@code examples/etcd-3.4} (made by Debian's etcd 3.4.23),
 * extracted for a test. The bundled location comes from the {@code raftpipe.examples} property that
 * the build sets.
 */
public final class EtcdFixtures {
    private EtcdFixtures() {
    }

    public static Path examplesDir() {
        String dir = System.getProperty("raftpipe.examples");
        if (dir == null) {
            throw new IllegalStateException("system property raftpipe.examples is not set (run through Maven)");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** Extracts {@code etcd-3.4/<name>.tar.gz} into {@code into} and returns the extracted top folder. */
    public static Path extract(String name, Path into) {
        Path archive = examplesDir().resolve("etcd-3.4").resolve(name + ".tar.gz");
        try (InputStream in = new TarArchiveInputStream(new GZIPInputStream(
                new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("fixture entry escapes the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into.resolve(name);
    }

    /** The {@code member/wal} directory of one member of an extracted fixture. */
    public static Path walDir(Path fixture, String member) {
        return fixture.resolve(member + ".etcd").resolve("member").resolve("wal");
    }

    /** Copies a directory tree (for tests that damage a copy). */
    public static Path copyTree(Path from, Path to) {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
