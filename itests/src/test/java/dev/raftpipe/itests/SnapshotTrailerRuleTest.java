package dev.raftpipe.itests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One rule for a db file named by its path, as {@code etcdutl snapshot restore} has it: unless it is a data dir's own
 * {@code member/snap/db}, it is an etcdctl snapshot file and its SHA-256 trailer must be there and match, for restore
 * and export as for replay and seal, unless {@code --skip-hash-check}.
 */
class SnapshotTrailerRuleTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aSnapshotFileWithoutItsTrailerIsRefusedByRestoreAndExportUnlessTheCheckIsSkipped(EtcdVersion version)
            throws Exception {
        Path saved = PurgedDataDirs.of(version).resolveSibling(PurgedDataDirs.LAGGING_DB); // etcdctl snapshot save
        byte[] bytes = Files.readAllBytes(saved);
        // one bit of the last data page flipped (bbolt has no checksum there), and a byte appended: no trailer any more
        bytes[bytes.length - 32 - 4096 + 2048] ^= 1;
        byte[] damaged = Arrays.copyOf(bytes, bytes.length + 1);
        damaged[bytes.length] = '\n';
        Path snapshot = Files.write(tmp.resolve("damaged.snapshot"), damaged);

        Path dataDir = tmp.resolve("restored.etcd");
        Launcher.Result restore = Launcher.run(tmp, "restore", snapshot.toString(), "--etcd-data-dir", dataDir.toString(),
                "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:2380");
        assertRefused(restore, snapshot);
        assertFalse(Files.exists(dataDir));

        Path exported = tmp.resolve("exported.db");
        assertRefused(Launcher.run(tmp, "export", snapshot.toString(), "--etcd-snapshot", exported.toString()), snapshot);
        assertRefused(Launcher.run(tmp, "export", snapshot.toString(), "--etcd-snapshot", exported.toString(),
                "--history"), snapshot);
        assertFalse(Files.exists(exported));

        // a plain db under another name: refused as well, and taken on the user's word that it is one
        Path plain = Files.write(tmp.resolve("plain.db"), Arrays.copyOf(Files.readAllBytes(saved), bytes.length - 32));
        assertRefused(Launcher.run(tmp, "export", plain.toString(), "--etcd-snapshot", exported.toString()), plain);
        Launcher.Result skipped = Launcher.run(tmp, "export", plain.toString(), "--etcd-snapshot", exported.toString(),
                "--skip-hash-check");
        assertEquals(0, skipped.exit(), skipped.stderr());
        // a data dir's own db has no trailer, and needs none
        Launcher.Result own = Launcher.run(tmp, "restore", PurgedDataDirs.of(version).resolve("member/snap/db").toString(),
                "--etcd-data-dir", dataDir.toString(), "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:2380");
        assertEquals(0, own.exit(), own.stderr());
    }

    private static void assertRefused(Launcher.Result r, Path snapshot) {
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(snapshot + ": not an etcd snapshot file: no SHA-256 trailer"), r.stderr());
    }
}
