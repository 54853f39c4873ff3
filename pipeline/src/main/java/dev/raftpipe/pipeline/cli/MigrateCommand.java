package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.migrate.Migrate;
import dev.raftpipe.pipeline.migrate.MigrateSettings;
import dev.raftpipe.pipeline.migrate.MigrationPlan;
import dev.raftpipe.pipeline.migrate.MigrationReport;
import dev.raftpipe.pipeline.migrate.MigrationReportJson;
import dev.raftpipe.pipeline.migrate.PlanException;
import dev.raftpipe.pipeline.migrate.cluster.ClusterMode;
import dev.raftpipe.pipeline.migrate.cluster.ShardedDispatch;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        header = "Run a plan of many clusters at once, on one machine or a Pekko Cluster.",
        description = {"Run a plan of many clusters at once: each a backup, replay, seal, restore or pipeline file,",
                "at most --parallelism at a time. One cluster failing does not stop the others; I/O failures are",
                "retried with backoff, data that fails verification is not. A journal (SQLite) records every",
                "cluster: running the plan again skips what finished and resumes what was interrupted.",
                "Exit 0 when all succeeded, 2 when any failed verification, 3 otherwise."},
        footer = {"", "Example plan.conf (paths relative to the plan; defaults apply to every cluster):",
                "  defaults { job = backup, target-dir = out, mask-prefixes = [\"/registry/secrets/\"], mask-key-file = mask.key }",
                "  clusters = [",
                "    { name = prod-1, source = /var/lib/etcd-prod-1 }",
                "    { name = prod-2, source = /var/lib/etcd-prod-2, job = replay, target = prod-2.db }",
                "    { name = prod-3, source = prod-3.snap, job = restore, key-file = seal.key }",
                "  ]",
                "", "  raftpipe migrate --plan plan.conf --parallelism 8 --json",
                "  raftpipe migrate --plan plan.conf --cluster 127.0.0.1:25520   (on the workers of 'raftpipe worker')"})
final class MigrateCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, paramLabel = "<plan.conf>", description = "The plan (HOCON).")
    Path planFile;

    @Option(names = "--parallelism", paramLabel = "<n>", description = "Pipelines at once (default raftpipe.migrate.parallelism, 4).")
    Integer parallelism;

    @Option(names = "--journal", paramLabel = "<file.db>", description = "The journal (default <plan>.journal.db beside the plan).")
    Path journal;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--port", paramLabel = "<port>", description = "With --cluster: port to bind (default 0, any free one).")
    int port;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        Config config = common.load();
        MigrationPlan plan;
        MigrateSettings settings;
        try {
            plan = MigrationPlan.loadChecked(planFile);
            settings = MigrateSettings.create(config);
            if (parallelism != null) {
                settings = settings.withParallelism(parallelism);
            }
        } catch (PlanException | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path journalFile = journal != null ? journal
                : planFile.toAbsolutePath().resolveSibling(planFile.getFileName() + ".journal.db");
        MigrationReport report;
        if (cluster.seeds.isEmpty()) {
            report = Migrate.run(plan, settings, journalFile, common.progress(), config);
        } else {
            MigrateSettings s = settings;
            ClusterMode mode = cluster.mode(config, port, ClusterMode.COORDINATOR);
            report = Migrate.run(plan, settings, journalFile, common.progress(), mode.over(config),
                    system -> ShardedDispatch.init(Adapter.toTyped(system), s));
        }
        System.out.print(json ? MigrationReportJson.of(report) + "\n" : MigrationReportJson.text(report));
        return report.exitCode();
    }
}
