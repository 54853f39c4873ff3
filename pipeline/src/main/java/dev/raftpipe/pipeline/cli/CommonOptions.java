package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.LauncherConfig;
import dev.raftpipe.pipeline.Progress;
import picocli.CommandLine.Option;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Options every command that runs a pipeline shares. */
class CommonOptions {
    @Option(names = "--config", paramLabel = "<file>", description = "HOCON file layered over application.conf.")
    Path config;

    @Option(names = "--quiet", description = "No progress on stderr (shown only at a terminal anyway).")
    boolean quiet;

    boolean progress() {
        return Progress.wanted(quiet);
    }

    Config load() throws NoSuchFileException {
        return LauncherConfig.load(Optional.ofNullable(config));
    }
}
