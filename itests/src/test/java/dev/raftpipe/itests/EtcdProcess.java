package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd (3.4 by default, or 3.5: {@link EtcdVersion}) on 127.0.0.1, started on a data dir and stopped by PID.
 * Read through its v3 JSON gateway, the way the fixtures' truth.json was taken.
 */
final class EtcdProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record KeyValue(String key, String value, long createRevision, long modRevision, long version, long lease) {
    }

    /** A TLS client listener with client-certificate auth: the member's certificate, key and the CA it trusts. */
    record Tls(Path cert, Path key, Path trustedCa) {
    }

    private final Process process;
    private final int clientPort;
    private final int tlsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EtcdProcess(Process process, int clientPort, int tlsPort) {
        this.process = process;
        this.clientPort = clientPort;
        this.tlsPort = tlsPort;
    }

    /**
     * A member that also listens on https with {@code --client-cert-auth}; the plain http listener stays for the
     * test's own reads (etcd serves both when both are listed).
     */
    static EtcdProcess startTls(EtcdVersion version, Path dataDir, String name, Path log, Tls tls)
            throws IOException, InterruptedException {
        int peer = freePort();
        int tlsPort = freePort();
        EtcdProcess etcd = launch(version, dataDir, name, peer, name + "=http://127.0.0.1:" + peer, log,
                List.of("--cert-file", tls.cert().toString(), "--key-file", tls.key().toString(), "--client-cert-auth",
                        "--trusted-ca-file", tls.trustedCa().toString()), tlsPort);
        etcd.awaitLeader(Duration.ofSeconds(60), log);
        return etcd;
    }

    static EtcdProcess start(Path dataDir, String name, Path log) throws IOException, InterruptedException {
        return start(dataDir, name, log, List.of());
    }

    /** With extra flags, e.g. {@code --force-new-cluster} for a backup. */
    static EtcdProcess start(Path dataDir, String name, Path log, List<String> extra)
            throws IOException, InterruptedException {
        return start(EtcdVersion.V3_4, dataDir, name, log, extra);
    }

    /** The given version's etcd, with extra flags. */
    static EtcdProcess start(EtcdVersion version, Path dataDir, String name, Path log, List<String> extra)
            throws IOException, InterruptedException {
        return start(version, dataDir, name, freePort(), log, extra);
    }

    /** On a given peer port: a restored member must listen where its membership says it is. */
    static EtcdProcess start(EtcdVersion version, Path dataDir, String name, int peer, Path log, List<String> extra)
            throws IOException, InterruptedException {
        EtcdProcess etcd = launch(version, dataDir, name, peer, name + "=http://127.0.0.1:" + peer, log, extra);
        etcd.awaitLeader(Duration.ofSeconds(60), log);
        return etcd;
    }

    /** Starts etcd without waiting for a leader: members of one cluster must all be up before one is elected. */
    static EtcdProcess launch(EtcdVersion version, Path dataDir, String name, int peer, String initialCluster, Path log,
                              List<String> extra) throws IOException {
        return launch(version, dataDir, name, peer, initialCluster, log, extra, 0);
    }

    private static EtcdProcess launch(EtcdVersion version, Path dataDir, String name, int peer, String initialCluster,
                                      Path log, List<String> extra, int tlsPort) throws IOException {
        int client = freePort();
        String clientUrl = "http://127.0.0.1:" + client;
        String listen = tlsPort == 0 ? clientUrl : clientUrl + ",https://127.0.0.1:" + tlsPort;
        String peerUrl = "http://127.0.0.1:" + peer;
        List<String> cmd = new ArrayList<>(List.of(version.tool("etcd").toString(), "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", listen, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", initialCluster));
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new EtcdProcess(p, client, tlsPort);
    }

    String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    String tlsUrl() {
        return "https://127.0.0.1:" + tlsPort;
    }

    long pid() {
        return process.pid();
    }

    JsonNode status() throws IOException, InterruptedException {
        return post("/v3/maintenance/status", "{}");
    }

    /** Every live key, as etcd serves it. */
    List<KeyValue> rangeAll() throws IOException, InterruptedException {
        return rangeAll(0);
    }

    /** Every key live at {@code revision} (0: the current one), as etcd serves it. */
    List<KeyValue> rangeAll(long revision) throws IOException, InterruptedException {
        String zero = Base64.getEncoder().encodeToString(new byte[] {0});
        JsonNode r = post("/v3/kv/range", "{\"key\":\"" + zero + "\",\"range_end\":\"" + zero + "\",\"revision\":"
                + revision + "}");
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode kv : r.path("kvs")) {
            out.add(new KeyValue(latin1(kv.path("key").asText()), latin1(kv.path("value").asText("")),
                    kv.path("create_revision").asLong(), kv.path("mod_revision").asLong(),
                    kv.path("version").asLong(), kv.path("lease").asLong()));
        }
        return out;
    }

    /** The members etcd serves: hex ID, name and peer URLs (client URLs are re-published at every start). */
    List<String> members() throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (JsonNode m : post("/v3/cluster/member/list", "{}").path("members")) {
            out.add(Long.toHexString(Long.parseUnsignedLong(m.path("ID").asText())) + " " + m.path("name").asText()
                    + " " + m.path("peerURLs"));
        }
        out.sort(null);
        return out;
    }

    /** The IDs of the leases etcd holds, in hex. */
    List<String> leases() throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (JsonNode l : post("/v3/lease/leases", "{}").path("leases")) {
            out.add(Long.toHexString(Long.parseLong(l.path("ID").asText())));
        }
        out.sort(null);
        return out;
    }

    long revision() throws IOException, InterruptedException {
        return post("/v3/kv/range", "{\"key\":\"" + Base64.getEncoder().encodeToString(new byte[] {0})
                + "\",\"count_only\":true}").at("/header/revision").asLong();
    }

    @Override
    public void close() throws InterruptedException {
        // Stopped by PID: SIGTERM first, SIGKILL if it does not go.
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void awaitLeader(Duration timeout, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                JsonNode s = status();
                if (!s.path("leader").asText("0").equals("0")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("etcd did not elect a leader within " + timeout + ":\n" + tail(log));
    }

    /** One call to etcd's v3 JSON gateway; an answer other than 200 is an IOException. */
    JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort + path))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("etcd answered " + resp.statusCode() + ": " + resp.body());
        }
        return JSON.readTree(resp.body());
    }

    private static String latin1(String base64) {
        return new String(Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Ports handed out in this JVM: a member's peer and client ports differ, and a stopped member's port is not reused. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** This test JVM's number (1..forks) among Failsafe's parallel forks, and how many there are. */
    private static final int FORK = Integer.getInteger("raftpipe.it.fork", 1);
    private static final int FORKS = Math.max(1, Integer.getInteger("raftpipe.it.forks", 1));
    /**
     * The ports the tests hand out lie below Linux's ephemeral range (32768-60999), so no outgoing connection holds
     * one; each fork owns a slice of them, so two forks never start members on the same port between one's look-up
     * and its member's bind. (Taking the kernel's choice for port 0 by residue does not work: bind() prefers odd ports.)
     */
    private static final int FIRST_PORT = 20000;
    private static final int PORTS = 12000;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT =
            new java.util.concurrent.atomic.AtomicInteger(new java.util.Random().nextInt(PORTS / FORKS));

    /** A free port of 127.0.0.1 in this fork's slice, never handed out before here (peer and client ports differ). */
    static int freePort() throws IOException {
        int slice = PORTS / FORKS;
        int base = FIRST_PORT + ((FORK - 1) % FORKS) * slice;
        for (int tried = 0; tried < slice; tried++) {
            int port = base + Math.floorMod(NEXT.getAndIncrement(), slice);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (java.net.BindException taken) {
                // in use by someone else: the next one
            }
        }
        throw new IOException("no free port left in " + base + ".." + (base + slice - 1));
    }
}
