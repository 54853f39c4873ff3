package dev.raftpipe.pipeline.migrate;

import com.typesafe.config.ConfigFactory;
import dev.raftpipe.pipeline.migrate.journal.JobStatus;
import dev.raftpipe.pipeline.migrate.journal.JournalEntry;
import dev.raftpipe.pipeline.migrate.journal.MigrationJournal;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinator's bookkeeping, with a dispatch that only records requests: the test answers for the runners. */
class CoordinatorTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @TempDir
    Path tmp;

    /** A request the coordinator sent, and where to answer it. */
    record Request(ClusterSpec spec, long dispatch, boolean resume, ActorRef<Coordinator.Message> coordinator) {
    }

    static final class RecordingDispatch implements JobDispatch {
        final BlockingQueue<Request> sent = new LinkedBlockingQueue<>();

        @Override
        public void run(ActorContext<Coordinator.Message> ctx, ClusterSpec spec, long dispatch, boolean resume) {
            sent.add(new Request(spec, dispatch, resume, ctx.getSelf()));
        }

        Request next() throws InterruptedException {
            Request r = sent.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "a request was sent");
            return r;
        }
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private ClusterSpec spec(String name) {
        return ClusterSpec.fromText("{\"name\":\"" + name + "\",\"job\":\"replay\",\"source\":\"" + tmp.resolve(name)
                + "\",\"target\":\"" + tmp.resolve("out/" + name + ".db") + "\"}");
    }

    private CompletableFuture<MigrationReport> start(List<ClusterSpec> clusters, int parallelism, MigrationJournal journal,
                                                     RecordingDispatch dispatch) {
        CompletableFuture<MigrationReport> done = new CompletableFuture<>();
        MigrateSettings settings = MigrateSettings.create(ConfigFactory.load()).withParallelism(parallelism);
        kit.spawn(Coordinator.create(new MigrationPlan(tmp.resolve("plan.conf"), clusters), settings, journal, dispatch,
                new MigrationProgress(new PrintStream(new ByteArrayOutputStream()), false), done));
        return done;
    }

    private static void finish(Request r, JobStatus status, String error) {
        r.coordinator().tell(new Coordinator.Finished(new Outcome(r.spec().name(), status, 7, 70, 1, 1, error, null),
                r.dispatch()));
    }

    @Test
    void noMoreJobsRunThanTheParallelismAndTheReportKeepsPlanOrder() throws Exception {
        RecordingDispatch dispatch = new RecordingDispatch();
        try (MigrationJournal journal = MigrationJournal.open(tmp.resolve("journal.db"))) {
            CompletableFuture<MigrationReport> done = start(List.of(spec("a"), spec("b"), spec("c")), 2, journal, dispatch);
            Request a = dispatch.next();
            Request b = dispatch.next();
            assertNull(dispatch.sent.poll(300, TimeUnit.MILLISECONDS), "two at once");
            assertEquals(JobStatus.RUNNING, journal.get("a").orElseThrow().status());

            finish(b, JobStatus.FAILED_VERIFICATION, "bad data");
            Request c = dispatch.next();
            assertEquals("c", c.spec().name());
            finish(c, JobStatus.SUCCEEDED, null);
            assertFalse(done.isDone(), "a is still running");
            finish(a, JobStatus.SUCCEEDED, null);

            MigrationReport report = done.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("a", "b", "c"), report.clusters().stream().map(ClusterReport::name).toList());
            assertEquals(2, report.count(JobStatus.SUCCEEDED));
            assertEquals(2, report.exitCode(), "a verification failure");
            assertEquals("bad data", journal.get("b").orElseThrow().error().orElseThrow());
            assertEquals(7, journal.get("c").orElseThrow().entries());
        }
    }

    @Test
    void aClusterFinishedByAnEarlierRunOfTheSamePlanIsSkippedAndAChangedOneRunsAgain() throws Exception {
        RecordingDispatch dispatch = new RecordingDispatch();
        ClusterSpec a = spec("a");
        ClusterSpec b = spec("b");
        try (MigrationJournal journal = MigrationJournal.open(tmp.resolve("journal.db"))) {
            journal.finished(new JournalEntry("a", a.fingerprint(), JobStatus.SUCCEEDED, 1, 5, 50, 1, Optional.empty(),
                    Optional.empty()));
            journal.finished(new JournalEntry("b", "an-older-fingerprint", JobStatus.SUCCEEDED, 1, 5, 50, 1,
                    Optional.empty(), Optional.empty()));
            CompletableFuture<MigrationReport> done = start(List.of(a, b), 4, journal, dispatch);
            Request only = dispatch.next();
            assertEquals("b", only.spec().name());
            assertNull(dispatch.sent.poll(300, TimeUnit.MILLISECONDS));
            finish(only, JobStatus.SUCCEEDED, null);
            MigrationReport report = done.get(10, TimeUnit.SECONDS);
            assertTrue(report.clusters().get(0).skipped());
            assertFalse(report.clusters().get(1).skipped());
            assertEquals(0, report.exitCode());
        }
    }

    @Test
    void anAnswerToAnOlderRequestIsIgnoredAndALostRunnerIsAFailure() throws Exception {
        RecordingDispatch dispatch = new RecordingDispatch();
        try (MigrationJournal journal = MigrationJournal.open(tmp.resolve("journal.db"))) {
            CompletableFuture<MigrationReport> done = start(List.of(spec("a")), 1, journal, dispatch);
            Request a = dispatch.next();
            finish(new Request(a.spec(), a.dispatch() - 1, false, a.coordinator()), JobStatus.SUCCEEDED, null);
            a.coordinator().tell(new Coordinator.RunnerLost("a", a.dispatch(), "the job's actor stopped"));
            MigrationReport report = done.get(10, TimeUnit.SECONDS);
            assertEquals(JobStatus.FAILED, report.clusters().get(0).status());
            assertEquals("the job's actor stopped", report.clusters().get(0).error());
            assertEquals(3, report.exitCode());
        }
    }
}
