package dev.raftpipe.benchmarks;

import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.db.DbReadOptions;
import dev.raftpipe.codecs.db.DbStatus;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.EtcdDbFile;
import dev.raftpipe.codecs.db.EtcdDbWriter;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.io.FileTrees;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bbolt page walk {@code db inspect} does (every page reached once, etcdutl's status hash) over an etcd 3.5 db of
 * 20 000 keys of 1 KiB written by raftpipe's own writer (about 24 MB).
 */
@State(Scope.Benchmark)
public class BoltWalkBenchmark {
    static final int KEYS = 20_000;
    private Path dir;
    private Path db;

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("raftpipe-jmh-db");
        db = dir.resolve("db");
        try (EtcdDbWriter w = EtcdDbWriter.begin(EtcdVersion.V3_5, DbReadOptions.defaults())) {
            w.accept(new StateRecord.Meta(KEYS, 2, KEYS, 0, List.of(1L), List.of(), "3.5.0", "normal"));
            w.accept(new StateRecord.Member(1, "m1", List.of("http://127.0.0.1:2380"), List.of(), false));
            byte[] value = new byte[1024];
            for (int i = 0; i < KEYS; i++) {
                value[i % value.length] = (byte) i;
                w.accept(new StateRecord.KeyValue(String.format("/registry/pods/ns/%08d", i)
                        .getBytes(StandardCharsets.UTF_8), value.clone(), i + 1, i + 1, 1, 0));
            }
            EtcdDbFile.publish(db, w, false);
        }
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        FileTrees.delete(dir);
    }

    @Benchmark
    public long walkEveryPage() throws IOException {
        try (EtcdDb open = EtcdDb.open(db, SnapshotTrailer.Check.AUTO)) {
            return DbStatus.walk(open, (e, r, tombstone) -> { }).statusHash();
        }
    }
}
