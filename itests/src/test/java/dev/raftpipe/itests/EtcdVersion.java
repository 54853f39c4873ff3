package dev.raftpipe.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two etcd versions users run: 3.4 is Debian bookworm's etcd-server/etcd-client on the PATH; 3.5 is
 * Debian trixie's, unpacked by the build under itests/target/etcd-3.5 (see etcd/fetch-etcd-3.5.sh).
 * 3.4 has no etcdutl: its {@code etcdctl snapshot status} plays that part.
 */
enum EtcdVersion {
    V3_4("3.4"), V3_5("3.5");

    private final String label;

    EtcdVersion(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    Path tool(String name) {
        if (this == V3_5) {
            String bin = System.getProperty("raftpipe.etcd35.bin");
            Path p = bin == null ? null : Path.of(bin, name);
            if (p == null || !Files.isExecutable(p)) {
                throw new IllegalStateException("etcd 3.5's " + name + " not found at " + p
                        + ": run itests/etcd/fetch-etcd-3.5.sh itests/target/etcd-3.5 (the Maven build does)");
            }
            return p;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(name + " (etcd 3.4) is not on the PATH: apt-get install -y etcd-server etcd-client "
                + "(.ci/run does this)");
    }

    /** Runs one of this version's tools (etcdctl with API 3) and returns its stdout; a non-zero exit throws. */
    String run(String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool(tool).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ETCDCTL_API", "3");
        Path out = Files.createTempFile("etcdtool", ".out");
        Path err = Files.createTempFile("etcdtool", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in 300 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * This version's own {@code snapshot restore} (etcdutl for 3.5, etcdctl for 3.4), hash check on, of a one-member
     * cluster {@code name} on 127.0.0.1:{@code peerPort}.
     */
    void restoreSnapshot(Path snapshot, Path dataDir, String name, int peerPort) throws IOException, InterruptedException {
        String peer = "http://127.0.0.1:" + peerPort;
        run(this == V3_5 ? "etcdutl" : "etcdctl", "snapshot", "restore", snapshot.toString(), "--data-dir",
                dataDir.toString(), "--name", name, "--initial-cluster", name + "=" + peer,
                "--initial-advertise-peer-urls", peer);
    }

    @Override
    public String toString() {
        return "etcd " + label;
    }
}
