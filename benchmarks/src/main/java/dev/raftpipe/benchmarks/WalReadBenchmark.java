package dev.raftpipe.benchmarks;

import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/** Reads a WAL of 20 000 entries of 1 KiB (about 21 MB, page cache): framing, the CRC-32C chain, record decode. */
@State(Scope.Benchmark)
public class WalReadBenchmark {
    static final int ENTRIES = 20_000;
    private Path dir;

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("raftpipe-jmh-wal");
        Random random = new Random(1);
        try (WalWriter w = WalWriter.create(dir.resolve("wal"),
                new WalWriter.Options(64_000_000L, 1 << 20, false, false, Optional.empty()))) {
            w.write(new WalRecord.MetadataRecord(new WalMetadata(1, 2)));
            byte[] data = new byte[1024];
            for (int i = 1; i <= ENTRIES; i++) {
                random.nextBytes(data);
                w.write(new WalRecord.EntryRecord(new Entry(2, i, EntryType.NORMAL, data.clone())));
            }
            w.write(new WalRecord.StateRecord(new HardState(2, 1, ENTRIES)));
            w.commit();
        }
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        FileTrees.delete(dir);
    }

    @Benchmark
    public long readEveryRecord() throws IOException {
        long n = 0;
        try (WalReader r = WalReader.open(dir.resolve("wal"), WalReader.Options.DEFAULTS)) {
            for (WalRecord rec = r.next(); rec != null; rec = r.next()) {
                n++;
            }
        }
        return n;
    }
}
