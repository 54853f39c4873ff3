package dev.raftpipe.pipeline.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One stage's block of a pipeline, with the launcher's whole configuration behind it for defaults.
 * Every getter turns a missing or wrongly typed setting into a {@link PipelineFileException} naming the
 * file, line and stage, so that {@code raftpipe run} reports it in one line before anything runs.
 *
 * <pre>
 * sinks = [ { stage = my-sink, out = "counts.json", prefixes = ["/registry/"], pretty = true } ]
 *
 * s.path("out")            // Path, relative to the pipeline file's directory
 * s.strings("prefixes")    // List&lt;String&gt;, empty when absent
 * s.flag("pretty", false)  // boolean with a default
 * s.intValue("depth", 3)   // int with a default; also longValue, bytes ("64MiB"), duration ("10s"), hex
 * s.string("format")       // fails: "pipeline.conf:3: stage 'my-sink': No configuration setting found for key 'format'"
 * </pre>
 */
public final class StageSettings {
    private final String stage;
    private final Config block;
    private final Config launcher;
    private final Path baseDir;
    /** Every setting the stage asked about, present or not: what it knows. */
    private final Set<String> asked = new TreeSet<>();

    private final Optional<Payload> receives;

    public StageSettings(String stage, Config block, Config launcher, Path baseDir) {
        this(stage, block, launcher, baseDir, Optional.empty());
    }

    /** @param receives what the stage before produces (empty for a source) */
    public StageSettings(String stage, Config block, Config launcher, Path baseDir,
                         Optional<Payload> receives) {
        this.stage = stage;
        this.block = block;
        this.launcher = launcher;
        this.baseDir = baseDir;
        this.receives = receives;
    }

    /**
     * What the stage before this one produces: for a stage that takes any payload (a counter, a checksum), so it
     * declares it consumes and produces exactly that. Empty for the source.
     */
    public Optional<Payload> receives() {
        return receives;
    }

    /** The stage's name, as the pipeline wrote it. */
    public String stage() {
        return stage;
    }

    /**
     * The launcher's whole configuration (reference.conf, application.conf, --config, -D) with the plugins'
     * own {@code reference.conf} files behind it: defaults that are not per stage (buffer sizes, dispatchers) live
     * there, e.g. under the plugin's own name in its reference.conf.
     */
    public Config launcherConfig() {
        return launcher;
    }

    /** Whether the block sets {@code key}. */
    public boolean has(String key) {
        asked.add(key);
        return block.hasPath(key);
    }

    /** A required string setting. */
    public String string(String key) {
        asked.add(key);
        return get(() -> block.getString(key));
    }

    /** A required whole number. */
    public long longValue(String key) {
        asked.add(key);
        return get(() -> block.getLong(key));
    }

    /** A whole number that fits an int, {@code otherwise} when absent. */
    public int intValue(String key, int otherwise) {
        return orElse(key, otherwise, () -> block.getInt(key));
    }

    /** A whole number, {@code otherwise} when absent. */
    public long longValue(String key, long otherwise) {
        return orElse(key, otherwise, () -> block.getLong(key));
    }

    /** A size in bytes ({@code 64MiB}, {@code 4096}), {@code otherwise} when absent. */
    public long bytes(String key, long otherwise) {
        return orElse(key, otherwise, () -> block.getBytes(key));
    }

    /** A duration ({@code 10s}, {@code 250ms}), {@code otherwise} when absent. */
    public Duration duration(String key, Duration otherwise) {
        return orElse(key, otherwise, () -> block.getDuration(key));
    }

    /** Bytes written in hex (an ID, a key), absent when not set; anything but hex digits in pairs is refused. */
    public Optional<byte[]> hex(String key) {
        asked.add(key);
        if (!block.hasPath(key)) {
            return Optional.empty();
        }
        String text = get(() -> block.getString(key));
        try {
            return Optional.of(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw invalid(key, "not hex: " + text);
        }
    }

    /** A boolean setting, {@code otherwise} when absent. */
    public boolean flag(String key, boolean otherwise) {
        return orElse(key, otherwise, () -> block.getBoolean(key));
    }

    /** A list of strings, empty when absent. */
    public List<String> strings(String key) {
        return orElse(key, List.of(), () -> block.getStringList(key));
    }

    /** A path, relative ones taken from the pipeline file's directory. */
    public Path path(String key) {
        return baseDir.resolve(string(key));
    }

    /** A path setting that may be absent. */
    public Optional<Path> optionalPath(String key) {
        asked.add(key);
        return block.hasPath(key) ? Optional.of(path(key)) : Optional.empty();
    }

    /** A setting that is present but unusable (a file that is not a key file…), told as the others. */
    public PipelineFileException invalid(String key, String why) {
        return new PipelineFileException(where(block.hasPath(key) ? block.getValue(key).origin() : block.origin())
                + ": stage '" + stage + "': " + key + ": " + why);
    }

    /**
     * Refuses a setting the stage never asked about once it is made: a misspelled {@code mask-prefix} must not run and
     * mask nothing. Called by the launcher for every stage, built-in or plugin.
     */
    public void refuseUnknown() {
        for (String key : block.root().keySet()) {
            if (!key.equals("stage") && !asked.contains(key)) {
                throw new PipelineFileException(where(block.getValue(key).origin()) + ": stage '" + stage
                        + "': unknown setting '" + key + "' (it reads: "
                        + (asked.isEmpty() ? "nothing" : String.join(", ", asked)) + ")");
            }
        }
    }

    /** An optional setting: what {@code read} gives when the block sets {@code key}, else {@code otherwise}. */
    private <T> T orElse(String key, T otherwise, Supplier<T> read) {
        asked.add(key);
        return block.hasPath(key) ? get(read) : otherwise;
    }

    private <T> T get(Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            String where = e.origin() != null ? where(e.origin()) : where(block.origin());
            String message = e.getMessage();
            String prefix = e.origin() != null ? e.origin().description() + ": " : "";
            throw new PipelineFileException(where + ": stage '" + stage + "': "
                    + (message.startsWith(prefix) ? message.substring(prefix.length()) : message));
        }
    }

    /** {@code file:line}, or {@code reference.conf:line} for a setting that came from a resource. */
    public static String where(ConfigOrigin origin) {
        String source = origin.resource() != null ? origin.resource()
                : origin.filename() != null ? origin.filename() : origin.description();
        return origin.lineNumber() > 0 ? source + ":" + origin.lineNumber() : source;
    }
}
