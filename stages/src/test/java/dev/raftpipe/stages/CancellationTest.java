package dev.raftpipe.stages;

import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every built-in source and flow stopped early by its consumer (take(3), then cancel): the stream ends, the
 * stage's materialized value completes instead of hanging, and nothing it opened is left behind: the fixture's
 * files can be read again and no temporary files remain.
 */
class CancellationTest extends StreamTestSupport {
    @TempDir
    static Path fixtures;
    static Path wal;
    static Path backend;
    static Path archive;
    static Path db;

    @BeforeAll
    static void make() throws Exception {
        Path single = EtcdFixtures.extract("single", fixtures);
        wal = EtcdFixtures.walDir(single, "n1");
        db = single.resolve("n1.etcd/member/snap/db");
        backend = fixtures.resolve("single.db");
        await(WalSource.fromDirectory(wal, WalSourceSettings.create()).via(RaftLog.resolve())
                .runWith(BackendReplaySink.to(backend, BackendReplaySettings.create()), system));
        archive = fixtures.resolve("single.snap");
        await(StateSource.fromBackend(backend).runWith(SnapshotArchive.sink(archive, ArchiveSettings.create()), system));
    }

    private static Map<String, Source<?, ? extends CompletionStage<?>>> sources() {
        return Map.of(
                "wal-source", WalSource.fromDirectory(wal, WalSourceSettings.create()),
                "state-source", StateSource.fromBackend(backend),
                "db-source state", DbSource.state(db, DbSourceSettings.create(system)),
                "db-source history", DbSource.history(db, DbSourceSettings.create(system)),
                "archive-source, verified first", SnapshotArchive.source(archive, ArchiveSettings.create()),
                "archive-source, one read", SnapshotArchive.source(archive, ArchiveSettings.create().withVerifyFirst(false)));
    }

    @Test
    void everySourceStoppedEarlyEndsAndCompletesItsReport() throws Exception {
        for (Map.Entry<String, Source<?, ? extends CompletionStage<?>>> e : sources().entrySet()) {
            Pair<? extends CompletionStage<?>, CompletionStage<List<Object>>> m = e.getValue()
                    .map(r -> (Object) r).take(3).toMat(Sink.seq(), Keep.both()).run(system);
            assertEquals(3, await(m.second()).size(), e.getKey());
            // a stopped source reports or fails, but does not hang
            m.first().toCompletableFuture().handle((v, t) -> null).get(30, TimeUnit.SECONDS);
        }
        assertNothingLeftBehind();
    }

    @Test
    void everyFlowStoppedEarlyEndsAndCompletesItsReport() throws Exception {
        Map<String, Flow<WalRecord, WalRecord, ? extends CompletionStage<?>>> flows = Map.of(
                "resolve", RaftLog.resolve(),
                "redact", Redaction.flow(new RedactionPolicy(List.of("/registry/".getBytes()), List.of(), null, false),
                        java.util.OptionalLong.empty()),
                "checksum", Checksum.<WalRecord>flow(dev.raftpipe.codecs.digest.ContentDigest.Algorithm.SHA_256));
        for (Map.Entry<String, Flow<WalRecord, WalRecord, ? extends CompletionStage<?>>> e : flows.entrySet()) {
            Pair<? extends CompletionStage<?>, CompletionStage<List<WalRecord>>> m = WalSource.fromDirectory(wal,
                            WalSourceSettings.create())
                    .viaMat(e.getValue(), Keep.right()).take(3).toMat(Sink.seq(), Keep.both()).run(system);
            assertEquals(3, await(m.second()).size(), e.getKey());
            m.first().toCompletableFuture().handle((v, t) -> null).get(30, TimeUnit.SECONDS);
        }
        assertNothingLeftBehind();
    }

    private static void assertNothingLeftBehind() throws Exception {
        // the fixture reads whole again (no half-closed handle holds it), and no temporary file was left
        assertTrue(await(StateSource.fromBackend(backend).toMat(Sink.ignore(), Keep.left()).run(system)).keys() > 300);
        assertTrue(Files.size(archive) > 0);
        try (Stream<Path> files = Files.walk(fixtures)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files left");
        }
    }
}
