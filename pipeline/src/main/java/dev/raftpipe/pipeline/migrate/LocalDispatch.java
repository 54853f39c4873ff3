package dev.raftpipe.pipeline.migrate;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** One machine: every job runs under a child actor of the coordinator, which watches it. */
public final class LocalDispatch implements JobDispatch {
    private final MigrateSettings settings;

    public LocalDispatch(MigrateSettings settings) {
        this.settings = settings;
    }

    @Override
    public void run(ActorContext<Coordinator.Message> ctx, ClusterSpec spec, long dispatch, boolean resume) {
        ActorRef<JobRunner.Command> runner = ctx.spawn(JobRunner.create(settings, false), "job-" + spec.name() + "-" + dispatch);
        ctx.watchWith(runner, new Coordinator.RunnerLost(spec.name(), dispatch,
                "internal error: the job's actor stopped without reporting (see --verbose)"));
        runner.tell(new JobRunner.Run(spec.toText(), dispatch, resume, ctx.getSelf()));
    }
}
