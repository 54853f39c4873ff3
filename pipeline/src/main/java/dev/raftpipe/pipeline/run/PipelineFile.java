package dev.raftpipe.pipeline.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.raftpipe.pipeline.spi.PipelineFileException;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline file (HOCON): one source, an ordered list of stages, one or more sinks, each an object
 * naming its {@code stage} with that stage's settings beside it.
 *
 * <pre>
 * pipeline {
 *   source = { stage = wal-source, dir = "data/member/wal" }
 *   stages = [ { stage = resolve }, { stage = redact, mask-prefixes = ["/registry/secrets/"], mask-key-file = key } ]
 *   sinks  = [ { stage = wal-sink, dir = "backup/member/wal" }, { stage = replay-sink, backend = "backup.db" } ]
 * }
 * </pre>
 */
public record PipelineFile(Path file, Step source, List<Step> stages, List<Step> sinks) {

    /** One stage of the file: its name, its block of settings, and where it stands. */
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
        Config p = root.getConfig("pipeline");
        Step source = step(p, "source", file);
        List<Step> stages = steps(p, "stages", file, false);
        List<Step> sinks = steps(p, "sinks", file, true);
        return new PipelineFile(file, source, stages, sinks);
    }

    private static Step step(Config p, String key, Path file) {
        if (!p.hasPath(key)) {
            throw new PipelineFileException(where(p.origin(), file) + ": the pipeline has no " + key);
        }
        ConfigValue v = p.getValue(key);
        if (v.valueType() != ConfigValueType.OBJECT) {
            throw new PipelineFileException(where(v.origin(), file) + ": " + key + " must be an object with a 'stage'");
        }
        return toStep((ConfigObject) v, file);
    }

    private static List<Step> steps(Config p, String key, Path file, boolean required) {
        if (!p.hasPath(key)) {
            if (required) {
                throw new PipelineFileException(where(p.origin(), file) + ": the pipeline has no " + key);
            }
            return List.of();
        }
        ConfigValue v = p.getValue(key);
        if (v.valueType() != ConfigValueType.LIST) {
            throw new PipelineFileException(where(v.origin(), file) + ": " + key + " must be a list of stages");
        }
        List<Step> out = new ArrayList<>();
        for (ConfigValue item : p.getList(key)) {
            if (item.valueType() != ConfigValueType.OBJECT) {
                throw new PipelineFileException(where(item.origin(), file) + ": each of " + key
                        + " must be an object with a 'stage'");
            }
            out.add(toStep((ConfigObject) item, file));
        }
        if (required && out.isEmpty()) {
            throw new PipelineFileException(where(v.origin(), file) + ": " + key + " is empty");
        }
        return out;
    }

    private static Step toStep(ConfigObject o, Path file) {
        Config block = o.toConfig();
        String where = where(o.origin(), file);
        if (!block.hasPath("stage") || block.getValue("stage").valueType() != ConfigValueType.STRING) {
            throw new PipelineFileException(where + ": a stage block needs stage = <name>");
        }
        return new Step(block.getString("stage"), block, where);
    }

    static String where(com.typesafe.config.ConfigOrigin origin, Path file) {
        return origin.lineNumber() > 0 ? file + ":" + origin.lineNumber() : file.toString();
    }
}
