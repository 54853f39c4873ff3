package dev.raftpipe.pipeline.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import dev.raftpipe.pipeline.spi.StageSettings;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline (HOCON): one source, an ordered list of stages, one or more sinks, each an object naming
 * its {@code stage} with that stage's settings beside it. It comes from a pipeline file ({@code raftpipe
 * run}) or from a migration plan; the built-in jobs read lists of stages for their hook points the same way.
 *
 * <pre>
 * pipeline {
 *   source = { stage = wal-source, dir = "data/member/wal" }
 *   stages = [ { stage = resolve }, { stage = redact, mask-prefixes = ["/registry/secrets/"], mask-key-file = key } ]
 *   sinks  = [ { stage = wal-sink, dir = "backup/member/wal" }, { stage = replay-sink, backend = "backup.db" } ]
 * }
 * </pre>
 *
 * @param name    the file, as errors and reports name it
 * @param baseDir what relative paths in settings are resolved against
 */
public record PipelineFile(String name, Path baseDir, Step source, List<Step> stages, List<Step> sinks) {

    public PipelineFile {
        stages = List.copyOf(stages);
        sinks = List.copyOf(sinks);
    }

    /** One stage of the pipeline: its name, its block of settings, and where it stands. */
    public record Step(String stage, Config block, String where) {
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

    /** The stage blocks listed under {@code key} (none when it is missing): a hook point's stages. */
    public static List<Step> list(Config block, String key) {
        return steps(block, key, false);
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
