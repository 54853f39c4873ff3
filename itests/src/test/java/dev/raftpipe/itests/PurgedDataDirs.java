package dev.raftpipe.itests;

import dev.raftpipe.codecs.wal.WalSegment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Data dirs shaped like a long-running cluster's, made once per build by a real etcd of each version and
 * shared by the tests: {@code --snapshot-count 300 --max-wals 1}, a mixed workload (txns, deletes, leases,
 * compactions) around ~140 MB of 200 KiB puts, so the WAL spans three 64 MB segments and etcd itself purges
 * the ones behind its newest snapshot (its purge runs every 30 s). Tests copy a dir before starting etcd on it.
 */
final class PurgedDataDirs {
    /** Beside the data dir: an etcdctl snapshot taken 60 operations before etcd stopped. */
    static final String LAGGING_DB = "lagging.snapshot";
    private static final Map<EtcdVersion, Path> MADE = new EnumMap<>(EtcdVersion.class);

    private PurgedDataDirs() {
    }

    /** The data dir for {@code version}, made on first use (about a minute) under target/fixtures. */
    static synchronized Path of(EtcdVersion version) throws Exception {
        Path made = MADE.get(version);
        if (made != null) {
            return made;
        }
        Path root = Path.of(System.getProperty("raftpipe.fixtures", "target/fixtures")).toAbsolutePath()
                .resolve("purged-" + version.label());
        Path data = root.resolve("member.etcd");
        // the test forks share target/fixtures: the first to lock makes the dir, the others wait and use it
        Files.createDirectories(root.getParent());
        try (FileChannel lock = FileChannel.open(root.resolveSibling(root.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock.lock()) {
            if (!Files.exists(root.resolve("done"))) {
                deleteTree(root);
                Files.createDirectories(root);
                make(version, data, root.resolve("etcd.log"));
                Files.writeString(root.resolve("done"), "");
            }
        }
        MADE.put(version, data);
        return data;
    }

    private static void make(EtcdVersion version, Path data, Path log) throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(version, data, "m1", log,
                List.of("--snapshot-count", "300", "--max-wals", "1", "--quota-backend-bytes", Long.toString(4L << 30)))) {
            Workload small = new Workload(etcd, 21).withLongLeases();
            // redaction rules' prefixes: written early (only the db keeps them once etcd purges) and late (in the
            // WAL too), by puts and by txns that also write other keys; the last write of all is a dropped key's
            writeSensitive(etcd, "early");
            small.run(200);
            byte[] value = new byte[200 << 10];
            for (int i = 0; i < 700; i++) {
                java.util.Arrays.fill(value, (byte) ('a' + i % 26));
                etcd.post("/v3/kv/put", "{\"key\":\"" + b64(("/bulk/k" + i % 16).getBytes()) + "\",\"value\":\""
                        + b64(value) + "\"}");
                if (i % 10 == 0) {
                    small.run(5);
                }
                if (i % 100 == 99) {
                    etcd.post("/v3/kv/compaction", "{\"revision\":" + (etcd.revision() - 3) + "}");
                }
            }
            small.run(200);
            // a db that lags its WAL, as a member's does when it stops before its backend commits: the tail replays
            version.run("etcdctl", "--endpoints", etcd.clientUrl(), "snapshot", "save",
                    data.resolveSibling(LAGGING_DB).toString());
            small.run(60);
            writeSensitive(etcd, "late");
            etcd.post("/v3/kv/put", put(DROPPED + "last", "DROPPED-LAST-" + nonce()));
            awaitPurge(data.resolve("member/wal"), log);
        }
    }

    /** Keys under the fixtures' mask prefix. */
    static final String MASKED = "/secret/";
    /** Keys under the fixtures' drop prefix. */
    static final String DROPPED = "/private/";

    /**
     * Three versions of a masked and of a dropped key, and a txn writing one of each beside a key outside both
     * prefixes. Every value is unique, so a byte search for it means something.
     */
    private static void writeSensitive(EtcdProcess etcd, String phase) throws IOException, InterruptedException {
        for (int v = 0; v < 3; v++) {
            etcd.post("/v3/kv/put", put(MASKED + phase, "SECRET-" + phase + "-" + v + "-" + nonce()));
            etcd.post("/v3/kv/put", put(DROPPED + phase, "DROPPED-" + phase + "-" + v + "-" + nonce()));
        }
        etcd.post("/v3/kv/txn", "{\"success\":[{\"request_put\":" + put(MASKED + phase + "-txn", "SECRET-TXN-" + phase
                + "-" + nonce()) + "},{\"request_put\":" + put(DROPPED + phase + "-txn", "DROPPED-TXN-" + phase + "-"
                + nonce()) + "},{\"request_put\":" + put("/plain/" + phase + "-txn", "PLAIN-" + phase) + "}]}");
    }

    private static final java.util.Random NONCES = new java.util.Random(20);

    private static String nonce() {
        return Long.toHexString(NONCES.nextLong() | Long.MIN_VALUE);
    }

    private static String put(String key, String value) {
        return "{\"key\":\"" + b64(key.getBytes()) + "\",\"value\":\"" + b64(value.getBytes()) + "\"}";
    }

    /** etcd purges segments behind its newest snapshot every 30 s; a test needs a WAL that no longer starts at 1. */
    private static void awaitPurge(Path walDir, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 150_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<WalSegment> segments = WalSegment.list(walDir);
            if (!segments.isEmpty() && segments.get(0).index() > 1) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("etcd did not purge " + walDir + " within 150 s: " + WalSegment.list(walDir)
                + "; see " + log);
    }

    /**
     * A copy of the version's data dir whose db is the lagging snapshot's: a member that stopped before its backend
     * committed the last entries, so the WAL tail after the db applies.
     */
    static Path withLaggingDb(EtcdVersion version, Path to) throws Exception {
        Path fixture = of(version);
        Path dataDir = copy(fixture, to);
        byte[] snapshot = Files.readAllBytes(fixture.resolveSibling(LAGGING_DB));
        Files.write(dataDir.resolve("member/snap/db"), java.util.Arrays.copyOf(snapshot, snapshot.length - 32));
        return dataDir;
    }

    /** A copy of a data dir (etcd writes to the dir it starts on). */
    static Path copy(Path dataDir, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(dataDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
