package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.migrate.journal.JobStatus;
import dev.raftpipe.pipeline.migrate.journal.JournalEntry;
import dev.raftpipe.pipeline.migrate.journal.MigrationJournal;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.japi.function.Function;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a plan: at most {@code parallelism} clusters at a time, each handed to a {@link JobRunner}
 * through a {@link JobDispatch}; every start and end written to the journal first. A cluster that
 * finished in an earlier run (same settings) is skipped; one left running is resumed.
 */
public final class Coordinator extends AbstractBehavior<Coordinator.Message> {

    public sealed interface Message {
    }

    public record Started(String name, long dispatch, String worker) implements Message, ClusterMessage {
    }

    public record Finished(Outcome outcome, long dispatch) implements Message, ClusterMessage {
    }

    /** A runner stopped without reporting (a bug, or its node left): the cluster ends as failed. */
    public record RunnerLost(String name, long dispatch, String why) implements Message {
    }

    /** A node left the Pekko Cluster: the jobs that ran there, or whose request may have gone there, go again. */
    public record NodeRemoved(String address) implements Message {
    }

    private record Tick() implements Message {
    }

    private record ResendUnacknowledged() implements Message {
    }

    private record Pending(ClusterSpec spec, boolean resume) {
    }

    private static final class InFlight {
        final ClusterSpec spec;
        final long dispatch;
        String worker;
        boolean acknowledged;
        long sentAt = System.nanoTime();

        InFlight(ClusterSpec spec, long dispatch) {
            this.spec = spec;
            this.dispatch = dispatch;
        }
    }

    private final MigrationPlan plan;
    private final MigrateSettings settings;
    private final MigrationJournal journal;
    private final JobDispatch dispatch;
    private final MigrationProgress progress;
    private final CompletableFuture<MigrationReport> done;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final Map<String, InFlight> running = new LinkedHashMap<>();
    private final Map<String, ClusterReport> results = new HashMap<>();
    private final long start = System.nanoTime();
    private long lastDispatch;

    private Coordinator(ActorContext<Message> ctx, MigrationPlan plan, MigrateSettings settings, MigrationJournal journal,
                        JobDispatch dispatch, MigrationProgress progress, CompletableFuture<MigrationReport> done) {
        super(ctx);
        this.plan = plan;
        this.settings = settings;
        this.journal = journal;
        this.dispatch = dispatch;
        this.progress = progress;
        this.done = done;
    }

    public static Behavior<Message> create(MigrationPlan plan, MigrateSettings settings, MigrationJournal journal,
                                           JobDispatch dispatch, MigrationProgress progress,
                                           CompletableFuture<MigrationReport> done) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Coordinator c = new Coordinator(ctx, plan, settings, journal, dispatch, progress, done);
            if (progress.enabled()) {
                timers.startTimerWithFixedDelay(new Tick(), settings.progressInterval());
            }
            if (dispatch.mayLoseRequests()) {
                timers.startTimerWithFixedDelay(new ResendUnacknowledged(), settings.ackTimeout().dividedBy(2));
            }
            dispatch.attach(ctx);
            try {
                return c.begin();
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return Behaviors.stopped();
            }
        }));
    }

    private Behavior<Message> begin() {
        for (ClusterSpec spec : plan.clusters()) {
            Optional<JournalEntry> seen = journal.get(spec.name()).filter(e -> e.fingerprint().equals(spec.fingerprint()));
            if (seen.isPresent() && seen.get().status() == JobStatus.SUCCEEDED) {
                JournalEntry e = seen.get();
                results.put(spec.name(), new ClusterReport(spec.name(), spec.job().label(), e.status(), true, e.entries(),
                        e.bytes(), e.durationMillis(), e.attempts(), null, spec.target().toString(), e.worker().orElse(null)));
            } else {
                pending.add(new Pending(spec, seen.isPresent() && seen.get().status() == JobStatus.RUNNING));
            }
        }
        progress.begin(plan.clusters().size(), results.size());
        return fill();
    }

    @Override
    public Receive<Message> createReceive() {
        return newReceiveBuilder()
                .onMessage(Started.class, guarded(this::onStarted))
                .onMessage(Finished.class, guarded(this::onFinished))
                .onMessage(RunnerLost.class, guarded(this::onLost))
                .onMessage(NodeRemoved.class, guarded(this::onNodeRemoved))
                .onMessage(ResendUnacknowledged.class, guarded(this::onResend))
                .onMessage(Tick.class, t -> {
                    progress.tick(running.size());
                    return this;
                })
                .build();
    }

    /** A failing journal ends the migration with that failure rather than leaving the caller waiting. */
    private <T> Function<T, Behavior<Message>> guarded(
            java.util.function.Function<T, Behavior<Message>> handler) {
        return m -> {
            try {
                return handler.apply(m);
            } catch (RuntimeException e) {
                progress.end();
                done.completeExceptionally(e);
                return Behaviors.stopped();
            }
        };
    }

    private Behavior<Message> fill() {
        while (running.size() < settings.parallelism() && !pending.isEmpty()) {
            Pending p = pending.poll();
            ClusterSpec spec = p.spec();
            if (!p.resume() && spec.job().publishesAtomically()) {
                Optional<Path> existing = ClusterJob.outputs(spec).stream().filter(Files::exists).findFirst();
                if (existing.isPresent()) {
                    // only outputs this plan made itself may be removed on resume; this one it did not make
                    record(spec, new Outcome(spec.name(), JobStatus.FAILED, 0, 0, 0, 0, existing.get()
                            + ": already exists; the migration never overwrites what it did not make", null));
                    continue;
                }
            }
            journal.started(spec.name(), spec.fingerprint(), Optional.empty());
            InFlight f = new InFlight(spec, nextDispatch());
            running.put(spec.name(), f);
            dispatch.run(getContext(), spec, f.dispatch, p.resume());
        }
        if (running.isEmpty() && pending.isEmpty()) {
            List<ClusterReport> ordered = new ArrayList<>();
            plan.clusters().forEach(c -> ordered.add(results.get(c.name())));
            MigrationReport report = new MigrationReport(plan.file(), journal.file(), settings.parallelism(), ordered,
                    Duration.ofNanos(System.nanoTime() - start));
            progress.end();
            done.complete(report);
            return Behaviors.stopped();
        }
        return this;
    }

    private Behavior<Message> onStarted(Started s) {
        InFlight f = running.get(s.name());
        if (f == null || f.dispatch != s.dispatch()) {
            return this;
        }
        f.acknowledged = true;
        if (s.worker() != null && !s.worker().equals(f.worker)) {
            f.worker = s.worker();
            journal.runningOn(s.name(), s.worker());
        }
        return this;
    }

    private Behavior<Message> onFinished(Finished m) {
        InFlight f = running.get(m.outcome().name());
        if (f == null || f.dispatch != m.dispatch()) {
            return this; // an answer to a request this run no longer waits for
        }
        running.remove(m.outcome().name());
        record(f.spec, m.outcome());
        return fill();
    }

    private Behavior<Message> onLost(RunnerLost m) {
        InFlight f = running.get(m.name());
        if (f == null || f.dispatch != m.dispatch()) {
            return this;
        }
        running.remove(m.name());
        record(f.spec, new Outcome(m.name(), JobStatus.FAILED, 0, 0, 0, 1, m.why(), f.worker));
        return fill();
    }

    private Behavior<Message> onNodeRemoved(NodeRemoved m) {
        for (InFlight f : running.values()) {
            // a request not yet acknowledged may have gone to that node; a repeat reaches a live runner harmlessly
            if (f.worker == null || f.worker.equals(m.address())) {
                progress.note(f.spec.name() + ": its worker " + (f.worker != null ? f.worker : "") + " left; running it again");
                f.worker = null;
                f.acknowledged = false;
                f.sentAt = System.nanoTime();
                journal.started(f.spec.name(), f.spec.fingerprint(), Optional.empty());
                dispatch.run(getContext(), f.spec, f.dispatch, true);
            }
        }
        return this;
    }

    private Behavior<Message> onResend(ResendUnacknowledged m) {
        long now = System.nanoTime();
        for (InFlight f : running.values()) {
            if (!f.acknowledged && now - f.sentAt > settings.ackTimeout().toNanos()) {
                f.sentAt = now;
                dispatch.run(getContext(), f.spec, f.dispatch, true);
            }
        }
        return this;
    }

    private void record(ClusterSpec spec, Outcome o) {
        // the journal counts dispatches (incl. re-runs after a lost worker), the runner its retries within one
        int starts = journal.get(spec.name()).filter(e -> e.fingerprint().equals(spec.fingerprint()))
                .map(JournalEntry::attempts).orElse(0);
        int attempts = starts + Math.max(0, o.attempts() - 1);
        journal.finished(new JournalEntry(spec.name(), spec.fingerprint(), o.status(), attempts, o.entries(), o.bytes(),
                o.durationMillis(), Optional.ofNullable(o.error()), Optional.ofNullable(o.worker())));
        ClusterReport r = new ClusterReport(spec.name(), spec.job().label(), o.status(), false, o.entries(), o.bytes(),
                o.durationMillis(), attempts, o.error(), spec.target().toString(), o.worker());
        results.put(spec.name(), r);
        progress.finished(r, running.size());
    }

    /** Request numbers grow across runs of a plan too, so a runner tells a new request from a repeat. */
    private long nextDispatch() {
        lastDispatch = Math.max(lastDispatch + 1, System.currentTimeMillis() * 1000);
        return lastDispatch;
    }
}
