package dev.raftpipe.pipeline.run;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import org.apache.pekko.actor.ActorSystem;

import dev.raftpipe.pipeline.spi.Stage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The pipelines behind {@code backup}, {@code replay}, {@code seal} and {@code restore}: defined under
 * {@code raftpipe.pipelines} in reference.conf, so that application.conf or {@code --config} can change
 * them (add a plugin stage, say) like any pipeline file. The commands set their flags' values on the
 * stages and run them.
 */
public final class BuiltInPipelines {
    public static final String ROOT = "raftpipe.pipelines";

    private BuiltInPipelines() {
    }

    /** {@code raftpipe.pipelines.<name>}; relative paths in it are taken from the working directory. */
    public static PipelineFile named(Config launcher, String name) {
        String path = ROOT + "." + name;
        if (!launcher.hasPath(path)) {
            throw new PipelineFileException(path + ": no such pipeline in the configuration");
        }
        return PipelineFile.of(path, Path.of("").toAbsolutePath(), launcher.getConfig(path));
    }

    /** Checks and runs a pipeline with the plugins of {@code raftpipe.plugins}, if any. */
    public static CompletionStage<PipelineReport> run(PipelineFile pipeline, Optional<String> progress,
                                                      ActorSystem system) {
        return run(pipeline, progress, system, Map.of());
    }

    /**
     * Runs a pipeline with some of its steps' stages, named, replaced by typed ones the command made itself (an
     * output a settings block cannot describe); each must consume what the step it replaces consumed.
     */
    public static CompletionStage<PipelineReport> run(PipelineFile pipeline, Optional<String> progress,
                                                      ActorSystem system, Map<String, Stage> replacing) {
        Config launcher = system.settings().config();
        PipelineRun.Checked checked = PipelineRun.check(pipeline, launcher,
                PipelineRun.pluginDir(Optional.empty(), launcher));
        for (Map.Entry<String, Stage> r : replacing.entrySet()) {
            checked = checked.replacing(r.getKey(), r.getValue());
        }
        return PipelineRun.run(checked, system, progress);
    }
}
