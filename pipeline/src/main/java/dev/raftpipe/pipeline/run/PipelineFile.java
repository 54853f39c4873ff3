package dev.raftpipe.pipeline.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import dev.raftpipe.pipeline.spi.StageSettings;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A pipeline (HOCON): one source, an ordered list of stages, one or more sinks, each an object naming
 * its {@code stage} with that stage's settings beside it. It comes from a pipeline file ({@code raftpipe
 * run}) or from {@code raftpipe.pipelines.<name>} in the configuration (the built-in commands).
 *
 * <pre>
 * pipeline {
 *   source = { stage = wal-source, dir = "data/member/wal" }
 *   stages = [ { stage = resolve }, { stage = redact, mask-prefixes = ["/registry/secrets/"], mask-key-file = key } ]
 *   sinks  = [ { stage = wal-sink, dir = "backup/member/wal" }, { stage = replay-sink, backend = "backup.db" } ]
 * }
 * </pre>
 *
 * @param name    the file, or {@code raftpipe.pipelines.<name>}, as errors and reports name it
 * @param baseDir what relative paths in settings are resolved against
 */
public record PipelineFile(String name, Path baseDir, Step source, List<Step> stages, List<Step> sinks) {

    public PipelineFile {
        stages = List.copyOf(stages);
        sinks = List.copyOf(sinks);
    }

    /** One stage of the pipeline: its name, its block of settings, and where it stands. */
    public record Step(String stage, Config block, String where) {
        /** This step with one setting replaced (paths as strings). */
        public Step with(String key, Object value) {
            ConfigValue v = ConfigValueFactory.fromAnyRef(value instanceof Path p ? p.toString() : value,
                    "set by the command line");
            return new Step(stage, block.withValue(key, v), where);
        }
    }

    public static PipelineFile load(Path file) throws NoSuchFileException {
        return load(file, ConfigFactory.empty());
    }

    /** Loads a file whose substitutions may also refer to {@code variables} (a migration's ${cluster.source}…). */
    public static PipelineFile load(Path file, Config variables) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "pipeline file not found");
        }
        Config root;
        try {
            root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                    .withFallback(variables).resolve();
        } catch (ConfigException e) {
            throw new PipelineFileException(e.getMessage());
        }
        if (!root.hasPath("pipeline")) {
            throw new PipelineFileException(file + ": no 'pipeline' block");
        }
        return of(file.toString(), file.toAbsolutePath().getParent(), root.getConfig("pipeline"));
    }

    /** A pipeline block already parsed (a built-in one from the configuration). */
    public static PipelineFile of(String name, Path baseDir, Config block) {
        Step source = step(block, "source");
        List<Step> stages = steps(block, "stages", false);
        List<Step> sinks = steps(block, "sinks", true);
        return new PipelineFile(name, baseDir, source, stages, sinks);
    }

    /**
     * A copy with {@code key = value} set in every step named {@code stage}, over what the block says:
     * how a built-in command's flags reach its pipeline's stages.
     */
    public PipelineFile with(String stage, String key, Object value) {
        if (!has(stage)) {
            throw new PipelineFileException(name + ": the pipeline has no '" + stage + "' stage to set " + key + " on");
        }
        UnaryOperator<Step> set = s -> s.stage().equals(stage) ? s.with(key, value) : s;
        return new PipelineFile(name, baseDir, set.apply(source), stages.stream().map(set).toList(),
                sinks.stream().map(set).toList());
    }

    /** A copy with a step {@code stage} (no settings yet) right after the stage {@code after}: an optional step. */
    public PipelineFile withStageAfter(String after, String stage) {
        int at = -1;
        for (int i = 0; i < stages.size(); i++) {
            at = stages.get(i).stage().equals(after) ? i : at;
        }
        if (at < 0) {
            throw new PipelineFileException(name + ": the pipeline has no '" + after + "' stage to put " + stage + " after");
        }
        List<Step> more = new java.util.ArrayList<>(stages);
        more.add(at + 1, new Step(stage, ConfigFactory.empty().withValue("stage",
                ConfigValueFactory.fromAnyRef(stage, "set by the command line")), "the command line"));
        return new PipelineFile(name, baseDir, source, more, sinks);
    }

    /** A copy without the sinks named {@code stage} (a built-in command's optional output left out). */
    public PipelineFile withoutSink(String stage) {
        List<Step> kept = sinks.stream().filter(s -> !s.stage().equals(stage)).toList();
        if (kept.isEmpty()) {
            throw new PipelineFileException(name + ": the pipeline would have no sink without '" + stage + "'");
        }
        return new PipelineFile(name, baseDir, source, stages, kept);
    }

    /** Refuses a pipeline without a step named {@code stage} (a built-in command's report needs it). */
    public PipelineFile require(String stage) {
        if (!has(stage)) {
            throw new PipelineFileException(name + ": the pipeline has no '" + stage + "' stage, which this command needs");
        }
        return this;
    }

    /** Whether any step is named {@code stage}. */
    public boolean has(String stage) {
        return source.stage().equals(stage) || stages.stream().anyMatch(s -> s.stage().equals(stage))
                || sinks.stream().anyMatch(s -> s.stage().equals(stage));
    }

    private static Step step(Config p, String key) {
        if (!p.hasPath(key)) {
            throw new PipelineFileException(where(p.origin()) + ": the pipeline has no " + key);
        }
        ConfigValue v = p.getValue(key);
        if (v.valueType() != ConfigValueType.OBJECT) {
            throw new PipelineFileException(where(v.origin()) + ": " + key + " must be an object with a 'stage'");
        }
        return toStep((ConfigObject) v);
    }

    private static List<Step> steps(Config p, String key, boolean required) {
        if (!p.hasPath(key)) {
            if (required) {
                throw new PipelineFileException(where(p.origin()) + ": the pipeline has no " + key);
            }
            return List.of();
        }
        ConfigValue v = p.getValue(key);
        if (v.valueType() != ConfigValueType.LIST) {
            throw new PipelineFileException(where(v.origin()) + ": " + key + " must be a list of stages");
        }
        List<Step> out = new ArrayList<>();
        for (ConfigValue item : p.getList(key)) {
            if (item.valueType() != ConfigValueType.OBJECT) {
                throw new PipelineFileException(where(item.origin()) + ": each of " + key
                        + " must be an object with a 'stage'");
            }
            out.add(toStep((ConfigObject) item));
        }
        if (required && out.isEmpty()) {
            throw new PipelineFileException(where(v.origin()) + ": " + key + " is empty");
        }
        return out;
    }

    private static Step toStep(ConfigObject o) {
        Config block = o.toConfig();
        String where = where(o.origin());
        if (!block.hasPath("stage") || block.getValue("stage").valueType() != ConfigValueType.STRING) {
            throw new PipelineFileException(where + ": a stage block needs stage = <name>");
        }
        return new Step(block.getString("stage"), block, where);
    }

    private static String where(ConfigOrigin origin) {
        return StageSettings.where(origin);
    }
}
