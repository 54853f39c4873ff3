package dev.raftpipe.itests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster with auth enabled (a user, a role, a read permission on a prefix), snapshotted, sealed and restored as
 * a new member: auth is still enabled, the user reads what the role allows and nothing else, anonymous reads fail.
 * The auth buckets travel as archive bucket entries (format 2).
 */
class AuthRestoreTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(EtcdVersion.class)
    void usersRolesAndPermissionsComeBack(EtcdVersion version) throws Exception {
        Path snapshot = tmp.resolve("auth.snapshot");
        try (EtcdProcess etcd = EtcdProcess.start(version, tmp.resolve("source.etcd"), "a1", tmp.resolve("source.log"),
                List.of())) {
            String[] setup = {"put /allowed/a 1", "put /secret/b 2", "user add root:rootpw", "user grant-role root root",
                    "role add reader", "role grant-permission reader read /allowed/ --prefix=true", "user add alice:pw",
                    "user grant-role alice reader", "auth enable"};
            for (String command : setup) {
                etcdctl(version, etcd.clientUrl(), command.split(" "));
            }
            etcdctl(version, etcd.clientUrl(), "--user", "root:rootpw", "snapshot", "save", snapshot.toString());
        }
        Path archive = tmp.resolve("auth.snap");
        Launcher.Result sealed = Launcher.run(tmp, "seal", "--etcd-snapshot", snapshot.toString(), "--out",
                archive.toString(), "--json");
        assertEquals(0, sealed.exit(), sealed.stderr());
        assertTrue(sealed.stdout().contains("\"format_version\":2") && sealed.stdout().contains("\"bucket_entries\""),
                sealed.stdout());
        int peer = EtcdProcess.freePort();
        Path restored = tmp.resolve("restored.etcd");
        Launcher.Result r = Launcher.run(tmp, "restore", archive.toString(), "--etcd-data-dir", restored.toString(),
                "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:" + peer);
        assertEquals(0, r.exit(), r.stderr());
        try (EtcdProcess etcd = EtcdProcess.start(version, restored, "m1", peer, tmp.resolve("restored.log"), List.of())) {
            String url = etcd.clientUrl();
            assertTrue(etcdctl(version, url, "--user", "alice:pw", "get", "/allowed/a").contains("/allowed/a"));
            IOException denied = assertThrows(IOException.class,
                    () -> etcdctl(version, url, "--user", "alice:pw", "get", "/secret/b"));
            assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
            assertThrows(IOException.class, () -> etcdctl(version, url, "get", "/allowed/a"), "auth is still enabled");
            assertTrue(etcdctl(version, url, "--user", "root:rootpw", "get", "/secret/b").contains("/secret/b"));
        }
    }

    private static String etcdctl(EtcdVersion version, String endpoint, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--endpoints";
        all[1] = endpoint;
        System.arraycopy(args, 0, all, 2, args.length);
        return version.run("etcdctl", all);
    }
}
