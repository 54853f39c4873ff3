package dev.raftpipe.pipeline.migrate;

import com.typesafe.config.ConfigFactory;
import dev.raftpipe.pipeline.migrate.journal.JobStatus;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One cluster's runner, running real jobs on a real etcd WAL and answering the coordinator as the protocol says. */
class JobRunnerTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final MigrateSettings SETTINGS = MigrateSettings.create(ConfigFactory.load())
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(20));
    @EtcdFixture("single")
    static Path single;
    static Path wal;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() {
        wal = EtcdFixtures.walDir(single, "n1");
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private String replay(String name, Path source) {
        return "{\"name\":\"" + name + "\",\"job\":\"replay\",\"source\":\"" + source + "\",\"target\":\""
                + tmp.resolve(name + ".db") + "\"}";
    }

    @Test
    void aJobIsStartedRunAndFinishedThenTheRunnerStops() {
        TestProbe<Coordinator.Message> coordinator = kit.createTestProbe();
        ActorRef<JobRunner.Command> runner = kit.spawn(JobRunner.create(SETTINGS, false));
        runner.tell(new JobRunner.Run(replay("one", wal), 5, false, coordinator.getRef()));
        Coordinator.Started started = coordinator.expectMessageClass(Coordinator.Started.class);
        assertEquals("one", started.name());
        assertEquals(5, started.dispatch());
        Coordinator.Finished finished = coordinator.expectMessageClass(Coordinator.Finished.class, Duration.ofSeconds(60));
        assertEquals(JobStatus.SUCCEEDED, finished.outcome().status(), finished.outcome().error());
        assertTrue(finished.outcome().entries() > 0);
        assertEquals(1, finished.outcome().attempts());
        assertTrue(Files.isRegularFile(tmp.resolve("one.db")));
        coordinator.expectTerminated(runner);
    }

    @Test
    void aMissingSourceFailsAtOnceWithoutRetries() {
        TestProbe<Coordinator.Message> coordinator = kit.createTestProbe();
        ActorRef<JobRunner.Command> runner = kit.spawn(JobRunner.create(SETTINGS, false));
        runner.tell(new JobRunner.Run(replay("gone", tmp.resolve("no-such-wal")), 1, false, coordinator.getRef()));
        coordinator.expectMessageClass(Coordinator.Started.class);
        Outcome o = coordinator.expectMessageClass(Coordinator.Finished.class, Duration.ofSeconds(60)).outcome();
        assertEquals(JobStatus.FAILED, o.status());
        assertEquals(1, o.attempts(), "a missing input is not worth another attempt");
        assertTrue(o.error().contains("no-such-wal"), o.error());
        assertFalse(Files.exists(tmp.resolve("gone.db")));
    }

    @Test
    void anUnreadableSpecIsAFailureNotACrash() {
        TestProbe<Coordinator.Message> coordinator = kit.createTestProbe();
        ActorRef<JobRunner.Command> runner = kit.spawn(JobRunner.create(SETTINGS, false));
        runner.tell(new JobRunner.Run("{\"name\":\"x\",\"job\":\"teleport\"}", 1, false, coordinator.getRef()));
        Outcome o = coordinator.expectMessageClass(Coordinator.Finished.class).outcome();
        assertEquals(JobStatus.FAILED, o.status());
        assertTrue(o.error().startsWith("unreadable cluster spec"), o.error());
        coordinator.expectTerminated(runner);
    }

    /** A sharded runner stays: a repeated request gets the same answer instead of a second run. */
    @Test
    void aRunnerThatStaysAnswersARepeatedRequestWithoutRunningTheJobAgain() throws Exception {
        TestProbe<Coordinator.Message> coordinator = kit.createTestProbe();
        ActorRef<JobRunner.Command> runner = kit.spawn(JobRunner.create(SETTINGS, true));
        runner.tell(new JobRunner.Run(replay("kept", wal), 3, false, coordinator.getRef()));
        coordinator.expectMessageClass(Coordinator.Started.class);
        Outcome first = coordinator.expectMessageClass(Coordinator.Finished.class, Duration.ofSeconds(60)).outcome();
        Path db = tmp.resolve("kept.db");
        FileTime written = Files.getLastModifiedTime(db);

        runner.tell(new JobRunner.Run(replay("kept", wal), 3, true, coordinator.getRef()));
        Coordinator.Finished again = coordinator.expectMessageClass(Coordinator.Finished.class);
        assertEquals(first, again.outcome());
        assertEquals(3, again.dispatch());
        assertEquals(written, Files.getLastModifiedTime(db), "not run twice");
        coordinator.expectNoMessage(Duration.ofMillis(200));
    }
}
