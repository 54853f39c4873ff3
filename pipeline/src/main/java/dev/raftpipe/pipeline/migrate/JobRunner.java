package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.Failures;
import dev.raftpipe.pipeline.migrate.journal.JobStatus;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Owns one cluster's job: runs it, retries it with backoff while it fails on I/O, and reports how it
 * ended to the coordinator. A child of the coordinator on one machine; a sharded entity (one per
 * cluster) on a worker of a Pekko Cluster, where it stays to answer a repeated {@link Run} with the
 * same outcome instead of running the job twice.
 */
public final class JobRunner {
    public static final EntityTypeKey<Command> ENTITY = EntityTypeKey.create(Command.class, "raftpipe-job");

    public sealed interface Command {
    }

    /** Run {@code spec} (a {@link ClusterSpec} as text); {@code dispatch} numbers the coordinator's requests. */
    public record Run(String spec, long dispatch, boolean resume, ActorRef<Coordinator.Message> replyTo)
            implements Command, ClusterMessage {
    }

    private record AttemptEnded(JobResult result, Throwable failure) implements Command {
    }

    private record RetryNow() implements Command {
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final MigrateSettings settings;
    private final boolean stayAfterFinish;
    private final String worker;
    /** Who to answer: the newest request's sender (a re-run coordinator takes over a job still running). */
    private Run latest;

    private JobRunner(ActorContext<Command> ctx, TimerScheduler<Command> timers, MigrateSettings settings,
                      boolean stayAfterFinish) {
        this.ctx = ctx;
        this.timers = timers;
        this.settings = settings;
        this.stayAfterFinish = stayAfterFinish;
        // named only in cluster mode, where it tells which node ran the job
        this.worker = ctx.getSystem().address().hasGlobalScope() ? ctx.getSystem().address().toString() : null;
    }

    public static Behavior<Command> create(MigrateSettings settings, boolean stayAfterFinish) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new JobRunner(ctx, timers, settings, stayAfterFinish).idle()));
    }

    private Behavior<Command> idle() {
        return Behaviors.receive(Command.class)
                .onMessage(Run.class, this::begin)
                .build();
    }

    private Behavior<Command> begin(Run run) {
        latest = run;
        ClusterSpec spec;
        try {
            spec = ClusterSpec.fromText(run.spec());
        } catch (RuntimeException e) {
            return finish(run, new Outcome("?", JobStatus.FAILED, 0, 0, 0, 1, "unreadable cluster spec: " + e.getMessage(),
                    worker));
        }
        run.replyTo().tell(new Coordinator.Started(spec.name(), run.dispatch(), worker));
        ctx.getLog().info("starting {} ({})", spec.name(), spec.job().label());
        return attempt(run, spec, 1, run.resume(), System.nanoTime());
    }

    private Behavior<Command> attempt(Run run, ClusterSpec spec, int attempt, boolean resume, long start) {
        try {
            ctx.pipeToSelf(ClusterJob.start(spec, resume, Adapter.toClassic(ctx.getSystem())), AttemptEnded::new);
        } catch (RuntimeException e) {
            ctx.getSelf().tell(new AttemptEnded(null, e));
        }
        return running(run, spec, attempt, start);
    }

    private Behavior<Command> running(Run run, ClusterSpec spec, int attempt, long start) {
        return Behaviors.receive(Command.class)
                .onMessage(Run.class, again -> {
                    if (again.dispatch() >= latest.dispatch()) {
                        latest = again;
                    }
                    again.replyTo().tell(new Coordinator.Started(spec.name(), again.dispatch(), worker));
                    return Behaviors.same();
                })
                .onMessage(RetryNow.class, r -> attempt(run, spec, attempt + 1, true, start))
                .onMessage(AttemptEnded.class, ended -> {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (ended.failure() == null) {
                        return finish(run, new Outcome(spec.name(), JobStatus.SUCCEEDED, ended.result().entries(),
                                ended.result().bytes(), millis, attempt, null, worker));
                    }
                    Throwable t = ended.failure();
                    if (JobFailures.worthRetrying(t) && attempt < settings.maxAttempts()) {
                        ctx.getLog().warn("{}: attempt {} failed ({}); retrying", spec.name(), attempt, Failures.message(t));
                        timers.startSingleTimer(new RetryNow(), settings.backoff(attempt));
                        return Behaviors.same();
                    }
                    return finish(run, new Outcome(spec.name(), JobFailures.status(t), 0, 0, millis, attempt,
                            Failures.message(t), worker));
                })
                .build();
    }

    private Behavior<Command> finish(Run run, Outcome outcome) {
        Run answer = latest != null ? latest : run;
        answer.replyTo().tell(new Coordinator.Finished(outcome, answer.dispatch()));
        if (!stayAfterFinish) {
            return Behaviors.stopped();
        }
        long finished = answer.dispatch();
        return Behaviors.receive(Command.class)
                .onMessage(Run.class, again -> {
                    if (again.dispatch() <= finished) {
                        again.replyTo().tell(new Coordinator.Finished(outcome, again.dispatch()));
                        return Behaviors.same();
                    }
                    return begin(again);
                })
                .build();
    }
}
