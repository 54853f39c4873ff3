package dev.raftpipe.itests;

import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.stages.WalSink;
import dev.raftpipe.stages.WalSinkSettings;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.stages.WalSourceSettings;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAL we write is one etcd starts from: Debian's etcd 3.4, given a data dir that holds only our
 * member/wal (no snapshot, no bbolt db), replays every entry and serves exactly what the original
 * cluster served (truth.json).
 */
class EtcdStartsFromWrittenWalTest {
    @TempDir
    Path tmp;

    @Test
    void etcdReplaysOurMultiSegmentWalAndServesTheOriginalKeys() throws Exception {
        Path single = EtcdFixtures.extract("single", tmp);
        Path dataDir = tmp.resolve("restored.etcd");
        Path walDir = dataDir.resolve("member/wal");
        ActorSystem system = ActorSystem.create("itest");
        WalWriteSummary written;
        try {
            // Small segments, so that etcd also walks our segment cuts and the CRC chain across them.
            written = WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                    .runWith(WalSink.toDirectory(walDir, WalSinkSettings.create().withSegmentSize(32 * 1024)), system)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            system.terminate();
        }
        assertTrue(written.segments().size() >= 3, "segments: " + written.segments());
        Files.createDirectories(dataDir.resolve("member/snap"));

        Truth truth = Truth.read(single.resolve("truth.json"));
        try (EtcdProcess etcd = EtcdProcess.start(dataDir, "n1", tmp.resolve("etcd.log"))) {
            Comparator<EtcdProcess.KeyValue> byKey = Comparator.comparing(EtcdProcess.KeyValue::key);
            List<EtcdProcess.KeyValue> served = etcd.rangeAll().stream().sorted(byKey).toList();
            assertEquals(truth.kvs().stream().sorted(byKey).toList(), served);
            assertEquals(truth.revision(), etcd.revision());
            assertTrue(etcd.status().path("raftIndex").asLong() >= truth.raftIndex());
        }
    }
}
