package dev.raftpipe.itests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where {@code restore --etcd-data-dir} writes: only into a new or empty directory, as etcdutl's {@code snapshot
 * restore} (it refuses "data-dir not empty"), and a failed restore leaves none of the directories it created. The
 * archives are sealed from {@code etcdctl snapshot save} files of a purged etcd 3.4 and 3.5 member.
 */
class RestoreTargetTest {
    @TempDir
    static Path made;
    private static final Map<EtcdVersion, Path> ARCHIVES = new EnumMap<>(EtcdVersion.class);

    @TempDir
    Path tmp;

    private static synchronized Path archive(EtcdVersion version) throws Exception {
        Path archive = ARCHIVES.get(version);
        if (archive == null) {
            archive = made.resolve(version + ".snap");
            Launcher.Result sealed = Launcher.run(made, "seal", "--etcd-snapshot",
                    PurgedDataDirs.of(version).resolveSibling(PurgedDataDirs.LAGGING_DB).toString(), "--out",
                    archive.toString());
            assertEquals(0, sealed.exit(), sealed.stderr());
            ARCHIVES.put(version, archive);
        }
        return archive;
    }

    private static Launcher.Result restore(Path workDir, Path source, Path dataDir) throws Exception {
        return Launcher.run(workDir, "restore", source.toString(), "--etcd-data-dir", dataDir.toString(), "--name", "m1",
                "--initial-cluster", "m1=http://127.0.0.1:2380");
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aDirectoryThatHoldsAnythingIsRefusedAndKeptAsItWas(EtcdVersion version) throws Exception {
        Path archive = archive(version);
        Path dataDir = Files.createDirectories(tmp.resolve("occupied"));
        Files.writeString(dataDir.resolve("readme.txt"), "not a member");
        Launcher.Result r = restore(tmp, archive, dataDir);
        assertEquals(3, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(dataDir + ": not empty (it holds readme.txt)"), r.stderr());
        try (var left = Files.list(dataDir)) {
            assertEquals(List.of(dataDir.resolve("readme.txt")), left.toList());
        }

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Launcher.Result into = restore(tmp, archive, empty);
        assertEquals(0, into.exit(), into.stderr());
        assertTrue(Files.isRegularFile(empty.resolve("member/snap/db")));
    }

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aFailedRestoreRemovesTheDirectoriesItCreated(EtcdVersion version) throws Exception {
        byte[] whole = Files.readAllBytes(archive(version));
        Path truncated = Files.write(tmp.resolve("truncated.snap"), Arrays.copyOf(whole, whole.length * 3 / 4));
        Path parent = Files.createDirectories(tmp.resolve("o"));
        Path dataDir = parent.resolve("X/dd");
        Launcher.Result r = restore(tmp, truncated, dataDir);
        assertNotEquals(0, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertFalse(Files.exists(parent.resolve("X")), "o/X and o/X/dd were created by the failed restore");
        assertTrue(Files.isDirectory(parent), "o was there before");
    }
}
