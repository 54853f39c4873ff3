package dev.raftpipe.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a large etcd data dir for the benchmarks with a real etcd: {@code puts} puts of {@code valueSize}-byte
 * values over {@code keys} distinct keys (so the db keeps every overwritten revision, uncompacted), from 8
 * client threads, then stops etcd by PID so the db holds everything.
 *
 * <p>{@code java -cp itests/target/test-classes:pipeline/target/raftpipe.jar -Draftpipe.etcd35.bin=...
 * dev.raftpipe.itests.BulkDb <data-dir> <3.4|3.5> <puts> <keys> <value-size>}
 */
public final class BulkDb {
    private BulkDb() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        EtcdVersion version = args[1].equals("3.4") ? EtcdVersion.V3_4 : EtcdVersion.V3_5;
        long puts = Long.parseLong(args[2]);
        long keys = Long.parseLong(args[3]);
        int valueSize = Integer.parseInt(args[4]);
        Files.createDirectories(dataDir.getParent());
        AtomicLong next = new AtomicLong();
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "bulk", dataDir.resolveSibling(dataDir.getFileName() + ".log"),
                List.of("--quota-backend-bytes", Long.toString(8L << 30)))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    byte[] value = new byte[valueSize];
                    for (long i = next.getAndIncrement(); i < puts; i = next.getAndIncrement()) {
                        java.util.Arrays.fill(value, (byte) ('a' + i % 26));
                        String key = String.format("/registry/bulk/%08d", i % keys);
                        etcd.post("/v3/kv/put", "{\"key\":\"" + b64(key.getBytes()) + "\",\"value\":\"" + b64(value) + "\"}");
                        if (i % 20000 == 0) {
                            System.err.println("  " + i + " puts");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
