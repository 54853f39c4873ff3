package dev.raftpipe.benchmarks;

import dev.raftpipe.codecs.archive.StateFileReader;
import dev.raftpipe.codecs.archive.StateFileWriter;
import dev.raftpipe.codecs.state.StateRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** state.bin: 20 000 keys of 1 KiB values (half random, half repeated) encoded and decoded, per block codec. */
@State(Scope.Benchmark)
public class StateCodecBenchmark {
    static final int KEYS = 20_000;
    @Param({"null", "zstandard"})
    public String codec;
    private List<StateRecord> records;
    private byte[] encoded;

    @Setup
    public void make() throws IOException {
        Random random = new Random(5);
        records = new ArrayList<>();
        records.add(new StateRecord.Meta(KEYS, 2, KEYS, 0, List.of(1L), List.of(), "3.5.0", "normal"));
        records.add(new StateRecord.Member(1, "m1", List.of("http://127.0.0.1:2380"), List.of(), false));
        for (int i = 0; i < KEYS; i++) {
            byte[] value = new byte[1024];
            random.nextBytes(value);
            java.util.Arrays.fill(value, 512, 1024, (byte) 'v');
            records.add(new StateRecord.KeyValue(String.format("/registry/pods/ns/%08d", i)
                    .getBytes(StandardCharsets.UTF_8), value, i + 1, i + 1, 1, 0));
        }
        encoded = encode();
    }

    @Benchmark
    public byte[] encode() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 20);
        try (StateFileWriter w = StateFileWriter.create(out, codec, 1, 256 << 10)) {
            for (StateRecord r : records) {
                w.write(r);
            }
        }
        return out.toByteArray();
    }

    @Benchmark
    public long decode() throws IOException {
        long n = 0;
        try (StateFileReader r = StateFileReader.open(new ByteArrayInputStream(encoded))) {
            for (StateRecord rec = r.next(); rec != null; rec = r.next()) {
                n++;
            }
        }
        return n;
    }
}
