package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.LauncherConfig;
import dev.raftpipe.pipeline.migrate.Migrate;
import dev.raftpipe.pipeline.migrate.MigrateSettings;
import dev.raftpipe.pipeline.migrate.cluster.ClusterMode;
import dev.raftpipe.pipeline.migrate.cluster.ShardedDispatch;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "worker", mixinStandardHelpOptions = true,
        header = "Join a Pekko Cluster as a worker for 'migrate --cluster'.",
        description = {"Join a Pekko Cluster as a worker and run the jobs 'migrate --cluster' hands out, until stopped",
                "(SIGTERM leaves the cluster gracefully). Every node must reach the plan's paths under the same names.",
                "If a worker dies, its jobs are run again by the others once the cluster has downed it",
                "(split brain resolver, keep-majority)."},
        footer = {"", "Example, three workers on one host and a migration using them:",
                "  raftpipe worker --port 25520 --cluster 127.0.0.1:25520 &",
                "  raftpipe worker --port 25521 --cluster 127.0.0.1:25520 &",
                "  raftpipe worker --port 25522 --cluster 127.0.0.1:25520 &",
                "  raftpipe migrate --plan plan.conf --cluster 127.0.0.1:25520"})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "<port>", description = "Port to bind (default 25520).")
    int port = 25520;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        // a long-running node: warnings (unreachable members, downing) always reach the operator; the chatter of
        // joins and jobs only with --verbose, as for every other command
        LauncherConfig.quietPekko(false);
        if ("OFF".equals(System.getProperty("raftpipe.log.level"))) {
            System.setProperty("raftpipe.log.level", "WARN");
        }
        Config base = common.load();
        ClusterMode mode = cluster.mode(base, port, ClusterMode.WORKER);
        MigrateSettings settings = MigrateSettings.create(base);
        Config config = Migrate.withPool(mode.over(base), settings.parallelism());
        ActorSystem system = ActorSystem.create(ClusterMode.systemName(), config);
        ShardedDispatch.init(Adapter.toTyped(system), settings);
        System.err.println("raftpipe worker: up at " + system.provider().getDefaultAddress() + ", seeds " + mode.seeds());
        system.getWhenTerminated().toCompletableFuture().get();
        return ExitCodes.OK;
    }
}
