package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
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

    @Option(names = "--s3-endpoint", paramLabel = "<url>", description = {"The S3-compatible store that s3://bucket/key "
            + "names (raftpipe.s3.endpoint; default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS)."})
    String s3Endpoint;

    boolean progress() {
        return Progress.wanted(quiet);
    }

    Config load() throws NoSuchFileException {
        Config loaded = LauncherConfig.load(Optional.ofNullable(config));
        return s3Endpoint == null ? loaded
                : loaded.withValue("raftpipe.s3.endpoint", ConfigValueFactory.fromAnyRef(s3Endpoint));
    }
}
