package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.WalRecords;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class WalSinkTest extends StreamTestSupport {
    @EtcdFixture("single")
    static Path single;

    @TempDir
    Path tmp;

    @Test
    void copiesAWalByteForByte() throws Exception {
        Path from = EtcdFixtures.walDir(single, "n1");
        Path to = tmp.resolve("backup/member/wal");
        WalWriteSummary s = await(WalSource.fromDirectory(from, WalSourceSettings.create())
                .runWith(WalSink.toDirectory(to, WalSinkSettings.create()), system));
        assertEquals(417, s.lastIndex());
        String seg = "0000000000000000-0000000000000000.wal";
        assertArrayEquals(Files.readAllBytes(from.resolve(seg)), Files.readAllBytes(to.resolve(seg)));
    }

    @Test
    void aFailingUpstreamPublishesNothing() throws Exception {
        Path to = tmp.resolve("wal");
        List<WalRecord> some = WalRecords.readAll(EtcdFixtures.walDir(single, "n1")).subList(0, 100);
        CompletionStage<WalWriteSummary> result = Source.from(some)
                .concat(Source.failed(new IOException("source died")))
                .runWith(WalSink.toDirectory(to, WalSinkSettings.create().withFsync(false)), system);
        assertInstanceOf(IOException.class, failureOf(result));
        assertFalse(Files.exists(to));
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "temporary directory left behind");
        }
    }
}
