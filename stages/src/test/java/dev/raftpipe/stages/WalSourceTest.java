package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.RecordType;
import dev.raftpipe.codecs.wal.WalCorruptedException;
import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.WalRecords;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class WalSourceTest extends StreamTestSupport {
    @EtcdFixture("single")
    static Path single;

    @TempDir
    Path tmp;

    @Test
    void streamsEveryRecordInOrderAndSummarizes() throws Exception {
        Path wal = EtcdFixtures.walDir(single, "n1");
        Pair<CompletionStage<WalReadSummary>, CompletionStage<List<WalRecord>>> run =
                WalSource.fromDirectory(wal, WalSourceSettings.create())
                        .toMat(Sink.seq(), Keep.both()).run(system);
        assertEquals(WalRecords.readAll(wal), await(run.second()));
        WalReadSummary s = await(run.first());
        assertEquals(417, s.count(RecordType.ENTRY));
        assertEquals(List.of("0000000000000000-0000000000000000.wal"), s.segments());
    }

    @Test
    void deliversOnlyWhatIsRequested() {
        TestSubscriber.Probe<WalRecord> probe = WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"),
                WalSourceSettings.create().withReadBufferSize(4096)).runWith(TestSink.create(system), system);
        probe.request(3);
        assertInstanceOf(WalRecord.CrcRecord.class, probe.expectNext());
        assertInstanceOf(WalRecord.MetadataRecord.class, probe.expectNext());
        assertInstanceOf(WalRecord.SnapshotRecord.class, probe.expectNext());
        probe.expectNoMessage(java.time.Duration.ofMillis(100));
        probe.cancel();
    }

    @Test
    void corruptionFailsTheStreamAndTheSummary() throws Exception {
        Path wal = EtcdFixtures.copyTree(EtcdFixtures.walDir(single, "n1"), tmp.resolve("wal"));
        try (RandomAccessFile f = new RandomAccessFile(wal.resolve("0000000000000000-0000000000000000.wal").toFile(), "rw")) {
            f.seek(5000);
            f.write(f.read() ^ 0xff);
        }
        Pair<CompletionStage<WalReadSummary>, CompletionStage<org.apache.pekko.Done>> run =
                WalSource.fromDirectory(wal, WalSourceSettings.create()).toMat(Sink.ignore(), Keep.both()).run(system);
        assertInstanceOf(WalCorruptedException.class, failureOf(run.second()));
        assertInstanceOf(WalCorruptedException.class, failureOf(run.first()));
    }

    @Test
    void aMissingDirectoryIsAnIoFailure() throws Exception {
        CompletionStage<WalReadSummary> summary = WalSource.fromDirectory(tmp.resolve("nope"), WalSourceSettings.create())
                .to(Sink.ignore()).run(system);
        assertInstanceOf(NoSuchFileException.class, failureOf(summary));
    }
}
