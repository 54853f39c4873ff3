package dev.raftpipe.pipeline.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import dev.raftpipe.pipeline.endpoint.EndpointAccess;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A migration plan (HOCON): {@code defaults} merged under every entry of {@code clusters}. Everything
 * that can be checked without touching the data is checked here, so a bad plan fails before any work;
 * a cluster whose data turns out bad fails alone when it runs.
 *
 * <pre>
 * defaults { job = backup, target-dir = "out", mask-prefixes = ["/registry/secrets/"], mask-key-file = mask.key }
 * clusters = [
 *   { name = prod-1, source = "/var/lib/etcd-prod-1" }
 *   { name = prod-2, source = "/var/lib/etcd-prod-2", job = replay, target = "prod-2.db" }
 * ]
 * </pre>
 */
public record MigrationPlan(Path file, List<ClusterSpec> clusters) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> COMMON = Set.of("name", "job", "source", "target", "target-dir");
    private static final Set<String> PATHS = Set.of("source", "target", "target-dir", "wal-dir", "rules-file",
            "mask-key-file", "backend", "key-file", "pipeline", "plugins", "cacert", "cert", "key", "password-file");
    private static final List<String> CONNECTION = List.of("cacert", "cert", "key", "user", "password-file");

    public MigrationPlan {
        clusters = List.copyOf(clusters);
    }

    /** Settings naming files or directories a job reads, which must be there before any work starts. */
    private static final List<String> INPUTS = List.of("wal-dir", "rules-file", "mask-key-file", "key-file", "pipeline",
            "plugins", "cacert", "cert", "key", "password-file");

    /**
     * The plan, refused with every mistake it holds at once: unknown settings, bad or missing values, duplicate
     * names and targets, and sources and input files that are not there (a running member is reached only when
     * its job runs).
     */
    public static MigrationPlan loadChecked(Path file) throws NoSuchFileException {
        List<String> errors = new ArrayList<>();
        MigrationPlan plan = parse(file, errors);
        for (ClusterSpec c : plan.clusters()) {
            if (c.endpoint().isEmpty() && !Files.exists(c.source())) {
                errors.add(file + ": cluster '" + c.name() + "': source " + c.source() + " does not exist");
            }
            for (String key : INPUTS) {
                if (c.has(key) && !Files.exists(c.path(key))) {
                    errors.add(file + ": cluster '" + c.name() + "': " + key + " " + c.path(key) + " does not exist");
                }
            }
        }
        return accepted(plan, errors);
    }

    /** The plan as written, refused with every mistake in it at once; its files are not looked at. */
    public static MigrationPlan load(Path file) throws NoSuchFileException {
        List<String> errors = new ArrayList<>();
        return accepted(parse(file, errors), errors);
    }

    private static MigrationPlan accepted(MigrationPlan plan, List<String> errors) {
        refuse(errors);
        if (plan.clusters().isEmpty()) {
            throw new PlanException(plan.file() + ": clusters is empty");
        }
        return plan;
    }

    private static MigrationPlan parse(Path file, List<String> errors) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "plan file not found");
        }
        Config root;
        try {
            root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new PlanException(e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        Config defaults = ConfigFactory.empty();
        if (root.hasPath("defaults")) {
            if (root.getValue("defaults").valueType() != ConfigValueType.OBJECT) {
                throw new PlanException(where(root.getValue("defaults"), file) + ": defaults must be an object");
            }
            defaults = root.getConfig("defaults");
            errors.addAll(unknownKeys(defaults, file, "defaults"));
        }
        if (!root.hasPath("clusters") || root.getValue("clusters").valueType() != ConfigValueType.LIST) {
            throw new PlanException(file + ": the plan needs clusters = [ { name = …, source = … }, … ]");
        }
        List<ClusterSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<Path, String> targets = new HashMap<>();
        for (ConfigValue item : root.getList("clusters")) {
            try {
                if (item.valueType() != ConfigValueType.OBJECT) {
                    throw new PlanException(where(item, file) + ": each cluster must be an object");
                }
                Config own = ((ConfigObject) item).toConfig();
                String at = where(item, file);
                errors.addAll(unknownKeys(own, file, at));
                Config merged = own.withFallback(defaults);
                // a second use of a name is said even when the cluster has other mistakes
                if (merged.hasPath("name") && merged.getValue("name").valueType() == ConfigValueType.STRING
                        && !names.add(merged.getString("name"))) {
                    throw new PlanException(at + ": cluster '" + merged.getString("name") + "' is named twice");
                }
                ClusterSpec spec = spec(merged, base, at);
                String other = targets.putIfAbsent(spec.target(), spec.name());
                if (other != null) {
                    throw new PlanException(at + ": cluster '" + spec.name() + "' writes " + spec.target()
                            + ", as cluster '" + other + "' does");
                }
                specs.add(spec);
            } catch (PlanException e) {
                errors.add(e.getMessage()); // every error of the plan at once, not one per run
            }
        }
        return new MigrationPlan(file, specs);
    }

    private static void refuse(List<String> errors) {
        if (errors.size() == 1) {
            throw new PlanException(errors.get(0));
        }
        if (!errors.isEmpty()) {
            throw new PlanException(errors.size() + " errors: " + String.join("; ", errors));
        }
    }

    private static ClusterSpec spec(Config c, Path base, String at) {
        String name = string(c, "name", at, "a cluster needs name = <name>");
        if (!NAME.matcher(name).matches()) {
            throw new PlanException(at + ": cluster name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        String where = at + ": cluster '" + name + "'";
        String jobLabel = string(c, "job", where, "needs job = backup | replay | seal | restore | pipeline");
        JobKind job = JobKind.of(jobLabel).orElseThrow(() -> new PlanException(where + ": unknown job '" + jobLabel
                + "' (known: backup, replay, seal, restore, pipeline)"));
        String source = string(c, "source", where, "needs source = <data dir, WAL dir, backend, archive, etcd snapshot "
                + "file or https://member:2379>");
        boolean endpoint = EndpointAccess.isEndpoint(source);
        if (endpoint && job != JobKind.SEAL && job != JobKind.REPLAY) {
            throw new PlanException(where + ": a running member (" + source + ") is a source for seal and replay jobs only");
        }
        for (String key : CONNECTION) {
            if (c.hasPath(key) && !endpoint) {
                throw new PlanException(where + ": " + key + " goes with a source that is a running member (https://…)");
            }
        }
        if (endpoint && c.hasPath("user") && c.getString("user").contains(":")) {
            // a plan's entries travel to workers and into fingerprints: a password stays in its own file
            throw new PlanException(where + ": a plan holds no passwords: user = <name> with password-file = <file>");
        }
        if (endpoint && c.hasPath("user") && !c.hasPath("password-file")) {
            throw new PlanException(where + ": user needs password-file = <file>");
        }
        if (!c.hasPath("target")) {
            if (!c.hasPath("target-dir")) {
                throw new PlanException(where + ": needs target = <path> (or target-dir in defaults)");
            }
            c = c.withValue("target", ConfigValueFactory.fromAnyRef(
                    Path.of(c.getString("target-dir")).resolve(name + job.targetSuffix(c)).toString()));
        }
        if (job == JobKind.PIPELINE && !c.hasPath("pipeline")) {
            throw new PlanException(where + ": job pipeline needs pipeline = <file.conf>");
        }
        for (String key : PATHS) {
            if (c.hasPath(key) && !(key.equals("source") && endpoint)) {
                String value = string(c, key, where, "");
                c = c.withValue(key, ConfigValueFactory.fromAnyRef(base.resolve(value).toAbsolutePath().normalize().toString()));
            }
        }
        for (String key : List.of("keep-ids", "keep-membership", "drop-auth", "verify")) {
            if (c.hasPath(key) && c.getValue(key).valueType() != ConfigValueType.BOOLEAN) {
                throw new PlanException(where + ": " + key + " must be true or false");
            }
        }
        for (String key : List.of("redact-prefixes", "mask-prefixes")) {
            if (c.hasPath(key)) {
                try {
                    if (c.getStringList(key).stream().anyMatch(String::isEmpty)) {
                        throw new PlanException(where + ": an empty prefix in " + key + " would match every key");
                    }
                } catch (ConfigException.WrongType e) {
                    throw new PlanException(where + ": " + key + " must be a list of strings");
                }
            }
        }
        if (c.hasPath("mask-prefixes") && !c.getStringList("mask-prefixes").isEmpty() && !c.hasPath("mask-key-file")) {
            throw new PlanException(where + ": mask-prefixes needs mask-key-file (every cluster's masks need a key you keep)");
        }
        if (c.hasPath("seal") != c.hasPath("key-file") && job == JobKind.SEAL) {
            throw new PlanException(where + ": seal and key-file go together");
        }
        c = c.withValue("name", ConfigValueFactory.fromAnyRef(name))
                .withValue("job", ConfigValueFactory.fromAnyRef(job.label()));
        return new ClusterSpec(name, job, Path.of(c.getString("source")), Path.of(c.getString("target")), c);
    }

    private static List<String> unknownKeys(Config block, Path file, String at) {
        Set<String> known = new TreeSet<>(COMMON);
        for (JobKind k : JobKind.values()) {
            known.addAll(k.settings());
        }
        List<String> unknown = new ArrayList<>();
        for (String key : new TreeSet<>(block.root().keySet())) {
            if (!known.contains(key)) {
                unknown.add(where(block.root().get(key), file) + ": unknown setting '" + key + "' in " + at
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
        return unknown;
    }

    private static String string(Config c, String key, String where, String missing) {
        if (!c.hasPath(key)) {
            throw new PlanException(where + ": " + missing);
        }
        if (c.getValue(key).valueType() != ConfigValueType.STRING) {
            throw new PlanException(where + ": " + key + " must be a string");
        }
        return c.getString(key);
    }

    private static String where(ConfigValue v, Path file) {
        return v.origin().lineNumber() > 0 ? file + ":" + v.origin().lineNumber() : file.toString();
    }
}
