package dev.raftpipe.itests;

import dev.raftpipe.codecs.db.EtcdDataDir;
import dev.raftpipe.pipeline.MemberLocks;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code replay --data-dir} refuses, with one line and nothing written. */
class DataDirRefusalsTest {
    @TempDir
    Path tmp;

    /** etcd 3.4 and 3.5 lock the newest WAL segment (fcntl) and the db (flock); both are seen, and the dir refused. */
    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void aRunningMembersDataDirIsRefused(EtcdVersion version) throws Exception {
        Path dataDir = tmp.resolve("live.etcd");
        Path backend = tmp.resolve("b.db");
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "live", tmp.resolve("etcd.log"), List.of())) {
            etcd.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Yg==\"}");
            List<String> held = MemberLocks.heldLocks(EtcdDataDir.open(dataDir));
            assertEquals(2, held.size(), "the WAL segment's fcntl lock and the db's flock: " + held);
            Launcher.Result r = Launcher.run(tmp, "replay", "--data-dir", dataDir.toString(), "--backend", backend.toString());
            assertEquals(1, r.exit(), r.stderr());
            assertEquals(1, r.stderr().lines().count(), r.stderr());
            assertTrue(r.stderr().contains("belongs to a running etcd") && r.stderr().contains("--endpoint"), r.stderr());
            assertFalse(Files.exists(backend));
            // its WAL starts at index 1 (nothing purged): backup refuses it as replay does, not only a purged member
            Path backupDir = tmp.resolve("backup");
            Launcher.Result backup = Launcher.run(tmp, "backup", "--data-dir", dataDir.toString(), "--backup-dir",
                    backupDir.toString());
            assertEquals(1, backup.exit(), backup.stderr());
            assertEquals(1, backup.stderr().lines().count(), backup.stderr());
            assertTrue(backup.stderr().contains("belongs to a running etcd"), backup.stderr());
            try (var left = Files.list(tmp)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("backup")).toList(),
                        "nothing written beside the backup's path");
            }
            Launcher.Result inspect = Launcher.run(tmp, "db", "inspect", dataDir.resolve("member/snap/db").toString());
            assertEquals(1, inspect.exit(), inspect.stderr());
            assertTrue(inspect.stderr().contains("is open in a running etcd"), inspect.stderr());
        }
        assertEquals(List.of(), MemberLocks.heldLocks(EtcdDataDir.open(dataDir)), "etcd released its locks");
    }

    @Test
    void aWalThatStartsAfterTheDbIsExit2NamingBothIndexes() throws Exception {
        Path fixture = EtcdFixtures.extract("single", tmp.resolve("fx"));
        Path dataDir = fixture.resolve("n1.etcd");
        Path wal = dataDir.resolve("member/wal");
        try (var segments = Files.list(wal)) {
            for (Path s : segments.toList()) {
                Files.move(s, wal.resolve("0000000000000001-0000000000000400.wal")); // index 1024, the db is at 417
            }
        }
        Path backend = tmp.resolve("b.db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--data-dir", dataDir.toString(), "--backend", backend.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("starts at index 1024") && r.stderr().contains("consistent_index 417"), r.stderr());
        assertFalse(Files.exists(backend));
    }
}
