package dev.raftpipe.itests;

import dev.raftpipe.itests.bench.BulkWal;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk (a 1 MiB tmpfs, mounted when the test may mount one) during replay, backup, seal, export and restore: one line
 * with the file and the OS's words, exit 3, nothing published and nothing left on the small disk.
 */
class DiskFullTest {
    @TempDir
    static Path work;
    static Path small;
    static Path dataDir;
    static Path backend;
    static Path archive;

    @BeforeAll
    static void smallDisk() throws Exception {
        small = Files.createDirectories(work.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here: " + new String(mount.getInputStream().readAllBytes()));
        Path single = EtcdFixtures.extract("single", work.resolve("fixture"));
        dataDir = work.resolve("bulk");
        BulkWal.write(EtcdFixtures.walDir(single, "n1"), dataDir, 20_000, 200);
        backend = work.resolve("bulk.db");
        assertEquals(0, Launcher.run(work, "replay", "--wal-dir", dataDir.resolve("member/wal").toString(),
                "--backend", backend.toString()).exit());
        archive = work.resolve("bulk.snap");
        assertEquals(0, Launcher.run(work, "seal", "--backend", backend.toString(), "--out", archive.toString(),
                "--config", Files.writeString(work.resolve("plain.conf"), "raftpipe.archive.codec = \"null\"\n")
                        .toString()).exit());
    }

    @AfterAll
    static void unmount() throws Exception {
        if (small != null && new ProcessBuilder("umount", small.toString()).start().waitFor() != 0) {
            // still busy: detach it, so the temporary directory can be removed
            new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
        }
    }

    @Test
    void replay() throws Exception {
        assertFull(small.resolve("r.db"), "replay", "--wal-dir", dataDir.resolve("member/wal").toString(), "--backend",
                small.resolve("r.db").toString());
    }

    @Test
    void backup() throws Exception {
        assertFull(small.resolve("backup"), "backup", "--data-dir", dataDir.toString(), "--backup-dir",
                small.resolve("backup").toString());
    }

    @Test
    void seal() throws Exception {
        assertFull(small.resolve("s.snap"), "seal", "--backend", backend.toString(), "--out",
                small.resolve("s.snap").toString(), "--config", work.resolve("plain.conf").toString());
    }

    @Test
    void restore() throws Exception {
        assertFull(small.resolve("restored.db"), "restore", archive.toString(), "--backend",
                small.resolve("restored.db").toString());
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void export(EtcdVersion version) throws Exception {
        assertFull(small.resolve("e.db"), "export", archiveOf(version).toString(), "--etcd-snapshot",
                small.resolve("e.db").toString());
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void restoreIntoDataDir(EtcdVersion version) throws Exception {
        assertFull(small.resolve("dd"), "restore", archiveOf(version).toString(), "--etcd-data-dir",
                small.resolve("dd").toString(),
                "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:2380");
    }

    /** etcd 3.4's: the bulk archive; 3.5's: sealed from a purged 3.5 member's {@code etcdctl snapshot save} file. */
    private static synchronized Path archiveOf(EtcdVersion version) throws Exception {
        if (version == EtcdVersion.V3_4) {
            return archive;
        }
        Path sealed = work.resolve("purged-3.5.snap");
        if (!Files.exists(sealed)) {
            Launcher.Result r = Launcher.run(work, "seal", "--etcd-snapshot",
                    PurgedDataDirs.of(version).resolveSibling(PurgedDataDirs.LAGGING_DB).toString(), "--out",
                    sealed.toString());
            assertEquals(0, r.exit(), r.stderr());
        }
        return sealed;
    }

    private static void assertFull(Path published, String... args) throws Exception {
        Launcher.Result r = Launcher.run(work, args);
        assertEquals(3, r.exit(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(small.toString()), "names the file: " + r.stderr());
        assertTrue(r.stderr().contains("No space left on device") || r.stderr().contains("disk is full"),
                "in the OS's words: " + r.stderr());
        assertFalse(Files.exists(published), "nothing published");
        try (Stream<Path> left = Files.list(small)) {
            assertEquals(List.of(), left.toList(), "nothing left on the full disk");
        }
    }
}
