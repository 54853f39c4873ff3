package dev.raftpipe.benchmarks;

import dev.raftpipe.codecs.internal.Crc32cChain;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;

/** The WAL's CRC-32C chain over one record's bytes: a 1 KiB entry and a 1 MiB one (the JDK's intrinsic underneath). */
@State(Scope.Benchmark)
public class Crc32cBenchmark {
    @Param({"1024", "1048576"})
    public int size;
    private byte[] data;
    private final Crc32cChain chain = new Crc32cChain();

    @Setup
    public void fill() {
        data = new byte[size];
        new Random(3).nextBytes(data);
    }

    @Benchmark
    public int chainOneRecord() {
        chain.reset(0x1234abcd);
        chain.update(data, 0, data.length);
        return chain.value();
    }
}
