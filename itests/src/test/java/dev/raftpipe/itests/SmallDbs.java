package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small member dbs real etcd wrote, for tests that damage them many times over: etcd 3.4's from the bundled sample,
 * etcd 3.5's made here (a few hundred writes with compactions, the member stopped cleanly).
 */
final class SmallDbs {
    private SmallDbs() {
    }

    /** The db of a stopped member of {@code version}; {@code work} holds what making it needs. */
    static Path of(EtcdVersion version, Path work) throws Exception {
        if (version == EtcdVersion.V3_4) {
            return EtcdFixtures.extract("single", work).resolve("n1.etcd/member/snap/db");
        }
        Files.createDirectories(work);
        Path dataDir = work.resolve("small-" + version.name() + ".etcd");
        try (EtcdProcess etcd = EtcdProcess.start(version, dataDir, "m1", work.resolve("small-" + version.name() + ".log"),
                List.of())) {
            new Workload(etcd, 35).run(300);
        }
        Path db = dataDir.resolve("member/snap/db");
        if (!Files.isRegularFile(db)) {
            throw new IllegalStateException("etcd " + version + " left no db in " + dataDir);
        }
        return db;
    }

    /** The meta page (0 or 1) with the higher txid: the one bbolt reads, and the one whose damage loses a commit. */
    static int newerMetaPage(byte[] db, int pageSize) {
        return txid(db, pageSize, 1) > txid(db, pageSize, 0) ? 1 : 0;
    }

    static long txid(byte[] db, int pageSize, int page) {
        int at = page * pageSize + 16 + 48;
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (db[at + i] & 0xff);
        }
        return v;
    }
}
