package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code seal --endpoint}: a snapshot streamed from a running member over etcd's Maintenance API, then restored
 * into a backend, equals what the member served at the snapshot's revision — while a writer keeps going (3.5), and
 * over TLS with client-certificate auth (3.4: PKCS#1 and EC keys as kubeadm and cfssl write them; a certificate
 * from another CA is refused). etcd auth: no user, a wrong password and a non-root user are refused with one line.
 */
class SealEndpointEtcdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aMemberUnderWriteLoadSealsIntoWhatItServedAtTheSnapshotRevision() throws Exception {
        EtcdVersion version = EtcdVersion.V3_5;
        try (EtcdProcess etcd = EtcdProcess.start(version, tmp.resolve("m1.etcd"), "m1", tmp.resolve("etcd.log"),
                List.of("--snapshot-count", "300"))) {
            new Workload(etcd, 17).withLongLeases().withoutCompactions().run(300);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger writes = new AtomicInteger();
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    int n = writes.incrementAndGet();
                    try {
                        etcd.post("/v3/kv/put", "{\"key\":\"" + b64("/load/" + (n % 50)) + "\",\"value\":\""
                                + b64("v" + n) + "\"}");
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            writer.start();
            Launcher.Result sealed;
            try {
                while (writes.get() < 100) {
                    Thread.sleep(20);
                }
                sealed = Launcher.run(tmp, "seal", "--endpoint", etcd.clientUrl(), "--out",
                        tmp.resolve("live.snap").toString(), "--json");
                Thread.sleep(200);
            } finally {
                stop.set(true);
                writer.join();
            }
            assertEquals(0, sealed.exit(), sealed.stderr());
            assertEquals("endpoint", JSON.readTree(sealed.stdout()).get("source").asText());
            Path backend = tmp.resolve("live.db");
            Launcher.Result restored = Launcher.run(tmp, "restore", tmp.resolve("live.snap").toString(), "--backend",
                    backend.toString());
            assertEquals(0, restored.exit(), restored.stderr());
            long revision;
            List<String> leases = new ArrayList<>();
            try (BackendSnapshot s = Backend.snapshot(backend)) {
                revision = s.meta().revision();
                s.forEachLease(l -> leases.add(Long.toHexString(l.id())));
            }
            leases.sort(null);
            assertTrue(revision < etcd.revision(), "the writer went on after the snapshot: a point in time is checked");
            assertEquals(BackendRows.of(etcd.rangeAll(revision)), BackendRows.of(backend));
            assertEquals(etcd.leases(), leases);
            assertNoLeftovers();

            etcdctl(version, etcd.clientUrl(), "user", "add", "root:rootpw");
            etcdctl(version, etcd.clientUrl(), "user", "grant-role", "root", "root");
            etcdctl(version, etcd.clientUrl(), "user", "add", "bob:bobpw");
            etcdctl(version, etcd.clientUrl(), "auth", "enable");
            Files.writeString(tmp.resolve("root.password"), "rootpw\n");
            assertRefused(etcd.clientUrl(), "the member has auth enabled: give --user");
            assertRefused(etcd.clientUrl(), "authentication failed for user 'root'", "--user", "root:nope");
            assertRefused(etcd.clientUrl(), "user 'bob' may not take a snapshot", "--user", "bob:bobpw");
            Launcher.Result withUser = Launcher.run(tmp, "seal", "--endpoint", etcd.clientUrl(), "--user", "root",
                    "--password-file", tmp.resolve("root.password").toString(), "--out", tmp.resolve("auth.snap").toString());
            assertEquals(0, withUser.exit(), withUser.stderr());
        }
    }

    @Test
    void tlsWithClientCertificates() throws Exception {
        EtcdVersion version = EtcdVersion.V3_4;
        Pki pki = new Pki(tmp.resolve("pki"));
        try (EtcdProcess etcd = EtcdProcess.startTls(version, tmp.resolve("tls.etcd"), "t1", tmp.resolve("tls.log"),
                new EtcdProcess.Tls(pki.serverCert, pki.serverKey, pki.caCert))) {
            new Workload(etcd, 5).withLongLeases().withoutCompactions().run(150);
            List<String> served = BackendRows.of(etcd.rangeAll());
            for (String client : List.of("rsa", "ec")) {
                Path archive = tmp.resolve(client + ".snap");
                Launcher.Result sealed = Launcher.run(tmp, "seal", "--endpoint", etcd.tlsUrl(), "--cacert",
                        pki.caCert.toString(), "--cert", pki.dir.resolve(client + ".crt").toString(), "--key",
                        pki.dir.resolve(client + ".key").toString(), "--out", archive.toString());
                assertEquals(0, sealed.exit(), client + ": " + sealed.stderr());
                Path backend = tmp.resolve(client + ".db");
                assertEquals(0, Launcher.run(tmp, "restore", archive.toString(), "--backend", backend.toString()).exit());
                assertEquals(served, BackendRows.of(backend), client);
            }
            assertRefused(etcd.tlsUrl(), "TLS handshake failed", "--cacert", pki.caCert.toString(),
                    "--cert", pki.dir.resolve("stranger.crt").toString(), "--key", pki.dir.resolve("stranger.key").toString());
            assertRefused(etcd.tlsUrl(), "TLS handshake failed", "--cacert", pki.caCert.toString());
            assertRefused(etcd.tlsUrl(), "TLS handshake failed", "--cert", pki.dir.resolve("rsa.crt").toString(),
                    "--key", pki.dir.resolve("rsa.key").toString()); // the member's CA is not one the JDK trusts
        }
    }

    private void assertRefused(String endpoint, String expected, String... flags) throws Exception {
        Path out = tmp.resolve("refused.snap");
        List<String> args = new ArrayList<>(List.of("seal", "--endpoint", endpoint, "--out", out.toString()));
        args.addAll(List.of(flags));
        Launcher.Result r = Launcher.run(tmp, args.toArray(String[]::new));
        assertEquals(3, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(expected), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertFalse(r.stderr().contains("rootpw") || r.stderr().contains("bobpw") || r.stderr().contains("nope"),
                "no password in messages");
        assertFalse(Files.exists(out));
        assertNoLeftovers();
    }

    private void assertNoLeftovers() throws Exception {
        try (var left = Files.list(tmp)) {
            List<Path> temps = left.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
            assertTrue(temps.isEmpty(), "spools and scratch backends removed: " + temps);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String etcdctl(EtcdVersion version, String endpoint, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--endpoints";
        all[1] = endpoint;
        System.arraycopy(args, 0, all, 2, args.length);
        return version.run("etcdctl", all);
    }

    /**
     * A CA, the member's certificate (for 127.0.0.1), clients with a PKCS#1 RSA key (kubeadm's format) and a SEC1
     * EC key (cfssl's), and a client signed by another CA, made with openssl.
     */
    private static final class Pki {
        private static final String KEY = "<key file>";
        final Path dir;
        final Path caCert;
        final Path serverCert;
        final Path serverKey;

        Pki(Path dir) throws Exception {
            this.dir = Files.createDirectories(dir);
            ca("ca");
            ca("other-ca");
            caCert = dir.resolve("ca.crt");
            leaf("server", "ca", List.of("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", KEY),
                    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth");
            serverCert = dir.resolve("server.crt");
            serverKey = dir.resolve("server.key");
            leaf("rsa", "ca", List.of("genrsa", "-traditional", "-out", KEY, "2048"), "extendedKeyUsage=clientAuth");
            leaf("ec", "ca", List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", KEY), "extendedKeyUsage=clientAuth");
            leaf("stranger", "other-ca", List.of("genrsa", "-traditional", "-out", KEY, "2048"), "extendedKeyUsage=clientAuth");
        }

        private void ca(String name) throws Exception {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                    "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString());
        }

        private void leaf(String name, String ca, List<String> keygen, String extensions) throws Exception {
            Path key = dir.resolve(name + ".key");
            openssl(keygen.stream().map(a -> a.equals(KEY) ? key.toString() : a).toArray(String[]::new));
            Path csr = dir.resolve(name + ".csr");
            openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
            Path ext = Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
            openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ca + ".crt").toString(), "-CAkey",
                    dir.resolve(ca + ".key").toString(), "-CAcreateserial", "-days", "2", "-extfile", ext.toString(),
                    "-out", dir.resolve(name + ".crt").toString());
        }

        private void openssl(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("openssl"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + ":\n" + out);
            }
        }
    }
}
