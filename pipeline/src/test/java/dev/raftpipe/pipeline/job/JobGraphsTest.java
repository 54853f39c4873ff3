package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.stages.WalSink;
import dev.raftpipe.stages.WalSinkSettings;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendMeta;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SystemMaterializer;
import org.apache.pekko.stream.testkit.javadsl.StreamTestKit;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed jobs run as graphs on a real etcd WAL: what each reports, what it writes, and that every stage stops. */
class JobGraphsTest {
    private static final String SECRETS = "/registry/secrets/";
    static ActorSystem system;
    static Materializer materializer;
    static Config config;
    @EtcdFixture("single")
    static Path single;
    static Path wal;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("jobs");
        materializer = SystemMaterializer.get(system).materializer();
        config = system.settings().config();
        wal = EtcdFixtures.walDir(single, "n1");
    }

    @AfterAll
    static void stop() {
        TestKit.shutdownActorSystem(system);
    }

    @Test
    void aReplayAppliesEveryCommittedEntryAndStopsEveryStage() {
        ReplayJob.Report r = await(ReplayJob.graph(ReplayJob.Settings.create(wal, tmp.resolve("b.db"), config))
                .run(system));
        assertEquals(r.log().lastIndex(), r.replay().applied() + r.replay().skipped());
        assertTrue(r.cut().isEmpty());
        assertEquals(r.log().hardState().commit(), meta(tmp.resolve("b.db")).consistentIndex());
        StreamTestKit.assertAllStagesStopped(materializer);
    }

    @Test
    void aPointInTimeReplayStopsRightAfterItsIndex() {
        ReplayJob.Report r = await(ReplayJob.graph(ReplayJob.Settings.create(wal, tmp.resolve("at.db"), config)
                .withStop(StopAt.index(20))).run(system));
        assertEquals(20, r.cut().orElseThrow().index());
        assertEquals(20, meta(tmp.resolve("at.db")).consistentIndex());
    }

    @Test
    void aHookSeesTheResolvedLogAndTheBackendIsTheSameWithoutIt() {
        Hooks checksum = Hooks.of(ConfigFactory.parseString(
                "raftpipe.hooks.replay.after-resolve = [ { stage = checksum }, { stage = checksum, algorithm = crc32c } ]")
                .withFallback(config).resolve(), Hooks.REPLAY);
        await(ReplayJob.graph(ReplayJob.Settings.create(wal, tmp.resolve("plain.db"), config)).run(system));
        await(ReplayJob.graph(ReplayJob.Settings.create(wal, tmp.resolve("hooked.db"), config).withHooks(checksum))
                .run(system));
        assertEquals(contents(tmp.resolve("plain.db")), contents(tmp.resolve("hooked.db")));
    }

    @Test
    void aMissingWalFailsWithItsOwnCauseAndStopsEveryStage() {
        CompletionStage<ReplayJob.Report> r = ReplayJob.graph(ReplayJob.Settings.create(tmp.resolve("no-wal"),
                tmp.resolve("never.db"), config)).run(system);
        Throwable t = assertThrows(ExecutionException.class,
                () -> r.toCompletableFuture().get(30, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(NoSuchFileException.class, t, String.valueOf(t));
        StreamTestKit.assertAllStagesStopped(materializer);
    }

    @Test
    void aSealedBackendRestoresToTheSameState() {
        Path backend = tmp.resolve("b.db");
        await(ReplayJob.graph(ReplayJob.Settings.create(wal, backend, config)).run(system));
        SealJob.Report sealed = await(SealJob.graph(SealJob.Settings.create(backend, tmp.resolve("b.snap"), config))
                .run(system));
        RestoreJob.Report restored = await(RestoreJob.graph(RestoreJob.Settings.create(tmp.resolve("b.snap"),
                tmp.resolve("r.db"), config)).run(system));
        assertEquals(sealed.read(), restored.restore().counts());
        assertEquals(sealed.summary().meta().counts(), restored.archive().meta().counts());
        StreamTestKit.assertAllStagesStopped(materializer);
        assertEquals(contents(backend), contents(tmp.resolve("r.db")));
    }

    @Test
    void aBackupRedactsWhatItWritesAndReplaysTheSameEntries() {
        RedactionPolicy policy = new RedactionPolicy(List.of(SECRETS.getBytes(StandardCharsets.UTF_8)), List.of(),
                null, false);
        Path copy = tmp.resolve("backup/member/wal");
        BackupJob.Report<?> r = await(BackupJob.graph(BackupJob.Settings.create(wal, policy, config)
                        .withReplayInto(java.util.Optional.of(tmp.resolve("backup.db"))),
                WalSink.toDirectory(copy, WalSinkSettings.create(config))).run(system));
        assertTrue(r.redaction().dropped() > 0, r.redaction().toString());
        assertEquals(r.log().entries(), r.redaction().entries());
        // the WAL written replays to the backend built beside it, and holds no secret
        await(ReplayJob.graph(ReplayJob.Settings.create(copy, tmp.resolve("again.db"), config)).run(system));
        List<String> kept = contents(tmp.resolve("again.db"));
        assertEquals(contents(tmp.resolve("backup.db")), kept);
        assertFalse(kept.stream().anyMatch(k -> k.startsWith(SECRETS)), kept.toString());
        assertTrue(kept.stream().anyMatch(k -> k.startsWith("/registry/")), kept.toString());
    }

    private static BackendMeta meta(Path backend) {
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            return s.meta();
        }
    }

    /** Every key with its revisions and value, in key order. */
    private static List<String> contents(Path backend) {
        List<String> rows = new ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            s.forEachKeyValue((StateRecord.KeyValue kv) -> rows.add(new String(kv.key(), StandardCharsets.UTF_8) + " "
                    + kv.createRevision() + " " + kv.modRevision() + " " + kv.version() + " "
                    + java.util.HexFormat.of().formatHex(kv.value())));
        }
        return rows;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
