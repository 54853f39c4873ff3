package dev.raftpipe.stages;

import dev.raftpipe.codecs.archive.ArchiveVerificationException;
import dev.raftpipe.codecs.archive.Sealers;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.archive.VerifiedArchive;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.store.RestoreRefusedException;
import dev.raftpipe.store.StateCursor;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotArchiveTest extends StreamTestSupport {
    @TempDir
    static Path fixtures;
    static Path single;
    static Path backend;

    @TempDir
    Path tmp;

    @BeforeAll
    static void replaySingle() throws Exception {
        single = EtcdFixtures.extract("single", fixtures);
        backend = fixtures.resolve("single.db");
        await(WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                .via(RaftLog.resolve()).runWith(BackendReplaySink.to(backend, BackendReplaySettings.create()), system));
    }

    static List<StateRecord> state(Path db) {
        List<StateRecord> out = new ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(db); StateCursor c = s.stateRecords()) {
            for (StateRecord r = c.next(); r != null; r = c.next()) {
                out.add(r);
            }
        }
        return out;
    }

    ArchiveSummary seal(Path db, Path out, ArchiveSettings settings) throws Exception {
        return await(StateSource.fromBackend(db).runWith(SnapshotArchive.sink(out, settings), system));
    }

    RestoreSummary restore(Path archive, Path db, ArchiveSettings settings, boolean force) throws Exception {
        return await(SnapshotArchive.source(archive, settings).runWith(BackendRestoreSink.to(db, force), system));
    }

    @Test
    void sealThenRestoreGivesBackTheSameBackend() throws Exception {
        Path archive = tmp.resolve("single.snap");
        ArchiveSummary sealed = seal(backend, archive, ArchiveSettings.create());
        assertTrue(sealed.selfTested());
        assertEquals(417, sealed.meta().index());
        assertEquals(2, sealed.meta().term());
        assertTrue(sealed.checksum().startsWith("sha-256="));
        assertTrue(Files.exists(tmp.resolve("single.snap.info.json")));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("single.snap", "single.snap.info.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files are left");
        }

        Path restored = tmp.resolve("restored.db");
        RestoreSummary r = restore(archive, restored, ArchiveSettings.create(), false);
        assertEquals(417, r.meta().consistentIndex());
        assertEquals(state(backend), state(restored));
        assertTrue(state(backend).size() > 300);
    }

    @Test
    void theStateSourceReportsWhatItReadByKind() throws Exception {
        dev.raftpipe.codecs.state.StateCounts expected = dev.raftpipe.codecs.state.StateCounts.ZERO;
        for (StateRecord r : state(backend)) {
            expected = expected.plus(r);
        }
        Pair<CompletionStage<dev.raftpipe.codecs.state.StateCounts>, CompletionStage<List<StateRecord>>> all =
                StateSource.fromBackend(backend).toMat(Sink.seq(), Keep.both()).run(system);
        assertEquals(state(backend), await(all.second()));
        assertEquals(expected, await(all.first()));
        assertTrue(expected.keys() > 300 && expected.meta() == 1, expected.toString());

        // cancelled after the first records: it reports what it read until then
        long read = await(StateSource.fromBackend(backend).take(5).toMat(Sink.ignore(), Keep.left()).run(system))
                .total();
        assertTrue(read >= 5 && read <= expected.total(), "read " + read);
        Throwable missing = failureOf(StateSource.fromBackend(tmp.resolve("missing.db")).toMat(Sink.ignore(), Keep.left())
                .run(system));
        assertTrue(missing != null, "a backend that cannot be opened fails the counts too");
    }

    @Test
    void sealingTwiceGivesTheSameStateBytes() throws Exception {
        ArchiveSummary a = seal(backend, tmp.resolve("a.snap"), ArchiveSettings.create());
        ArchiveSummary b = seal(backend, tmp.resolve("b.snap"), ArchiveSettings.create());
        assertEquals(a.meta().size(), b.meta().size());
        assertEquals(a.meta().counts(), b.meta().counts());
    }

    @Test
    void aSealedArchiveRestoresOnlyWithItsKey() throws Exception {
        byte[] key = new byte[32];
        key[5] = 9;
        ArchiveSettings sealed = ArchiveSettings.create().withSealer(Optional.of(Sealers.aes256Gcm(key)));
        Path archive = tmp.resolve("sealed.snap");
        seal(backend, archive, sealed);
        Path db = tmp.resolve("nokey.db");
        Throwable failure = failureOf(SnapshotArchive.source(archive, ArchiveSettings.create())
                .runWith(BackendRestoreSink.to(db, false), system));
        assertInstanceOf(ArchiveVerificationException.class, failure);
        assertFalse(Files.exists(db), "nothing restored");
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files left");
        }
        assertEquals(417, restore(archive, db, sealed, false).meta().consistentIndex());
    }

    @Test
    void aBackendAheadOfTheArchiveIsNotReplacedWithoutForce() throws Exception {
        // an archive of the backend at index 100, restored over the full one (417)
        Path early = tmp.resolve("early.db");
        await(WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                .via(RaftLog.resolve())
                .filter(r -> !(r instanceof WalRecord.EntryRecord e) || e.entry().index() <= 100)
                .map(r -> r instanceof WalRecord.StateRecord s
                        ? new WalRecord.StateRecord(new HardState(s.state().term(), s.state().vote(),
                        Math.min(100, s.state().commit()))) : r)
                .runWith(BackendReplaySink.to(early, BackendReplaySettings.create()), system));
        Path archive = tmp.resolve("early.snap");
        assertEquals(100, seal(early, archive, ArchiveSettings.create()).meta().index());

        Path target = tmp.resolve("target.db");
        Files.copy(backend, target);
        byte[] before = Files.readAllBytes(target);
        Throwable refused = failureOf(SnapshotArchive.source(archive, ArchiveSettings.create())
                .runWith(BackendRestoreSink.to(target, false), system));
        assertInstanceOf(RestoreRefusedException.class, refused);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(target)));
        assertEquals(100, restore(archive, target, ArchiveSettings.create(), true).meta().consistentIndex());
    }

    @Test
    void aFailedStreamPublishesNoArchive() throws Exception {
        Path out = tmp.resolve("failed.snap");
        Pair<CompletionStage<ArchiveSummary>, ?> m = Source.<StateRecord>failed(new IllegalStateException("boom"))
                .toMat(SnapshotArchive.sink(out, ArchiveSettings.create()), Keep.right())
                .mapMaterializedValue(s -> Pair.create(s, null)).run(system);
        failureOf(m.first());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aFailedSelfTestPublishesNothingAndSaysWhy() throws Exception {
        // a sealer whose seal never opens again: the archive written is not one a restore would accept
        dev.raftpipe.codecs.archive.Sealer broken = new dev.raftpipe.codecs.archive.Sealer() {
            public String kind() {
                return "broken";
            }

            public byte[] seal(byte[] sums) {
                return new byte[]{1};
            }

            public byte[] open(byte[] sealed, byte[] sums) {
                throw new ArchiveVerificationException("broken seal");
            }
        };
        Path out = tmp.resolve("broken.snap");
        Throwable failure = failureOf(StateSource.fromBackend(backend)
                .runWith(SnapshotArchive.sink(out, ArchiveSettings.create().withSealer(Optional.of(broken))), system));
        assertInstanceOf(ArchiveVerificationException.class, failure);
        assertFalse(Files.exists(out));
        assertTrue(Files.readString(tmp.resolve("broken.snap.mismatch.txt")).contains("broken seal"));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("broken.snap.mismatch.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theSourceReportsTheVerifiedArchive() throws Exception {
        Path archive = tmp.resolve("v.snap");
        ArchiveSummary sealed = seal(backend, archive, ArchiveSettings.create());
        Pair<CompletionStage<VerifiedArchive>, CompletionStage<List<StateRecord>>> m =
                SnapshotArchive.source(archive, ArchiveSettings.create()).toMat(Sink.seq(), Keep.both()).run(system);
        assertEquals(state(backend), await(m.second()));
        assertEquals(sealed.checksum(), await(m.first()).checksum());
    }

    @Test
    void aDamageFoundOnlyAtTheEndFailsTheStreamInEitherModeAndOnlyOneReadEmitsRecordsBeforeIt() throws Exception {
        // more records than one hand-off batch holds, so one read hands some over before it reaches the end
        List<StateRecord> records = new java.util.ArrayList<>();
        int keys = 5000;
        records.add(new StateRecord.Meta(keys, 2, keys, 0, List.of(1L), List.of(), "3.5.0", ""));
        for (int i = 1; i <= keys; i++) {
            records.add(new StateRecord.KeyValue(String.format("/k/%06d", i).getBytes(), new byte[]{(byte) i}, i, i, 1, 0));
        }
        Path archive = tmp.resolve("tail.snap");
        await(Source.from(records).runWith(SnapshotArchive.sink(archive, ArchiveSettings.create()), system));
        // every record decodes; the bytes after the gzip stream are found after the last one
        Files.write(archive, new byte[]{0x1f, (byte) 0x8b, 0}, java.nio.file.StandardOpenOption.APPEND);
        for (boolean verifyFirst : new boolean[]{true, false}) {
            java.util.concurrent.atomic.AtomicLong emitted = new java.util.concurrent.atomic.AtomicLong();
            Throwable failure = failureOf(SnapshotArchive.source(archive, ArchiveSettings.create()
                            .withVerifyFirst(verifyFirst))
                    .map(r -> {
                        emitted.incrementAndGet();
                        return r;
                    })
                    .runWith(Sink.ignore(), system));
            assertInstanceOf(ArchiveVerificationException.class, failure);
            assertTrue(failure.getMessage().contains("bytes after its gzip"), failure.getMessage());
            if (verifyFirst) {
                assertEquals(0, emitted.get(), "verified before the first record");
            } else {
                assertTrue(emitted.get() > 0, "one read emits records as it decodes them");
            }
            Path db = tmp.resolve("tail-" + verifyFirst + ".db");
            failureOf(SnapshotArchive.source(archive, ArchiveSettings.create().withVerifyFirst(verifyFirst))
                    .runWith(BackendRestoreSink.to(db, false), system));
            assertFalse(Files.exists(db), "nothing restored");
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files left");
        }
    }
}
