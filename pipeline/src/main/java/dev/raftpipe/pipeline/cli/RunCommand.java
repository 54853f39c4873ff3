package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.run.PipelineFile;
import dev.raftpipe.pipeline.run.PipelineReport;
import dev.raftpipe.pipeline.run.PipelineRun;
import dev.raftpipe.pipeline.run.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline file: a source, stages and sinks by name with their settings (HOCON).",
                "Every stage is made and the chain checked before anything runs; an unknown stage, a type",
                "mismatch or a bad setting is one line naming the file, line and stage, and exit 1.",
                "Stages come built in or from plugin JARs (StageFactory via ServiceLoader) in --plugins."},
        footer = {"", "Example pipeline.conf:",
                "  pipeline {",
                "    source = { stage = wal-source, dir = \"data/member/wal\" }",
                "    stages = [ { stage = resolve }, { stage = redact, redact-prefixes = [\"/registry/secrets/\"] } ]",
                "    sinks = [ { stage = wal-sink, dir = \"backup/member/wal\" }, { stage = replay-sink, backend = b.db } ]",
                "  }",
                "", "Built-in stages: wal-source, resolve, redact, wal-sink, replay-sink,",
                "state-source, archive-sink, archive-source, restore-sink.",
                "backup, replay, seal and restore run such stages at their hook points:",
                "raftpipe.hooks.<command>.<point> in application.conf or --config.",
                "", "  raftpipe run pipeline.conf --plugins plugins/ --json"})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<pipeline.conf>", description = "The pipeline file.")
    Path file;

    @Option(names = "--plugins", paramLabel = "<dir>", description = "A directory of plugin JARs (else raftpipe.plugins).")
    Path plugins;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        Config config = common.load();
        PipelineRun.Checked checked = PipelineRun.check(PipelineFile.load(file), config,
                PipelineRun.pluginDir(Optional.ofNullable(plugins), config));
        PipelineReport report = Streams.run(config, system -> PipelineRun.run(checked, system,
                common.progress() ? Optional.of("running " + file) : Optional.empty()));
        var out = ReportJson.of(report);
        System.out.println(json ? out.toString() : out.toPrettyString());
        return ExitCodes.OK;
    }
}
