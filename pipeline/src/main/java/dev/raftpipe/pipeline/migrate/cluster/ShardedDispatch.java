package dev.raftpipe.pipeline.migrate.cluster;

import dev.raftpipe.pipeline.migrate.ClusterSpec;
import dev.raftpipe.pipeline.migrate.Coordinator;
import dev.raftpipe.pipeline.migrate.JobDispatch;
import dev.raftpipe.pipeline.migrate.JobRunner;
import dev.raftpipe.pipeline.migrate.MigrateSettings;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * A Pekko Cluster: every cluster of the plan is an entity (its name the entity id) living on some
 * worker. When a worker leaves (downed after a crash), the jobs it held are sent again; their shards
 * are then allocated on the workers left, and the job resumes there (applied_index guard, atomic
 * publishing).
 */
public final class ShardedDispatch implements JobDispatch {
    private final ActorRef<ShardingEnvelope<JobRunner.Command>> region;

    private ShardedDispatch(ActorRef<ShardingEnvelope<JobRunner.Command>> region) {
        this.region = region;
    }

    /** Starts sharding of job runners on this node: hosting them on a worker, a proxy elsewhere. */
    public static ShardedDispatch init(ActorSystem<?> system, MigrateSettings settings) {
        return new ShardedDispatch(ClusterSharding.get(system).init(
                Entity.of(JobRunner.ENTITY, ctx -> JobRunner.create(settings, true))
                        .withRole(ClusterMode.WORKER)
                        .withAllocationStrategy(new NoRebalanceAllocation())));
    }

    @Override
    public void attach(ActorContext<Coordinator.Message> ctx) {
        ActorRef<ClusterEvent.MemberRemoved> removed = ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
                e -> new Coordinator.NodeRemoved(e.member().address().toString()));
        Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(removed, ClusterEvent.MemberRemoved.class));
    }

    @Override
    public boolean mayLoseRequests() {
        return true;
    }

    @Override
    public void run(ActorContext<Coordinator.Message> ctx, ClusterSpec spec, long dispatch, boolean resume) {
        region.tell(new ShardingEnvelope<>(spec.name(), new JobRunner.Run(spec.toText(), dispatch, resume, ctx.getSelf())));
    }
}
