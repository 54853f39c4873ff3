package dev.raftpipe.pipeline.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.migrate.journal.MigrationJournal;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** {@code raftpipe migrate}: a plan run by a {@link Coordinator} in an actor system that lives as long as the plan. */
public final class Migrate {
    private static final String POOL = "raftpipe.blocking-dispatcher.thread-pool-executor.fixed-pool-size";

    private Migrate() {
    }

    /** Runs the plan on this machine. */
    public static MigrationReport run(MigrationPlan plan, MigrateSettings settings, Path journalFile, boolean progress,
                                      Config config) throws Exception {
        return run(plan, settings, journalFile, progress, config, system -> new LocalDispatch(settings));
    }

    /** Runs the plan with the given way of reaching runners (local children, or a Pekko Cluster's workers). */
    public static MigrationReport run(MigrationPlan plan, MigrateSettings settings, Path journalFile, boolean progress,
                                      Config config, Function<ActorSystem, JobDispatch> dispatch)
            throws Exception {
        try (MigrationJournal journal = MigrationJournal.open(journalFile)) {
            CompletableFuture<MigrationReport> done = new CompletableFuture<>();
            return Streams.runInSystem(withPool(config, settings.parallelism()), system -> {
                Adapter.spawn(system, Coordinator.create(plan, settings, journal, dispatch.apply(system),
                                new MigrationProgress(System.err, progress), done), "migrate",
                        DispatcherSelector.fromConfig("raftpipe.coordinator-dispatcher"));
                return done;
            });
        }
    }

    /** Every running pipeline holds a few blocking threads (reader, writer, file work): the pool grows with N. */
    public static Config withPool(Config config, int parallelism) {
        int wanted = Math.max(config.getInt(POOL), 4 * parallelism + 4);
        return ConfigFactory.parseMap(Map.of(POOL, wanted)).withFallback(config);
    }
}
