package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.raftpipe.pipeline.run.PipelineFile;
import dev.raftpipe.pipeline.run.PipelineRun;
import dev.raftpipe.pipeline.run.StageCatalog;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageSettings;
import org.apache.pekko.stream.javadsl.Flow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Flow stages, built in or from plugins, that a built-in job runs at one of its named points:
 * {@code raftpipe.hooks.<job>.<point> = [ { stage = ... } ]}, listed as a pipeline file's {@code stages}. Each must
 * take what flows at its point and pass the same on, so that the job around it stays what it was; the job waits
 * for what each one materializes.
 *
 * <p>Earlier versions let {@code raftpipe.pipelines.<job>.stages} list the job's own stages with others between
 * them; such a list is still read, each added stage going to the point after the job's stage before it.
 */
public final class Hooks {
    public static final String ROOT = "raftpipe.hooks";
    static final String LEGACY_ROOT = "raftpipe.pipelines";

    /** A built-in job's hook points, in the order they run. */
    public record Job(String name, List<Point> points) {
        Optional<Point> point(String name) {
            return points.stream().filter(p -> p.name().equals(name)).findFirst();
        }

        String pointNames() {
            return String.join(", ", points.stream().map(Point::name).toList());
        }
    }

    /**
     * @param carries what flows there, and what a stage there must pass on
     * @param after   the job's own stage that a legacy {@code raftpipe.pipelines.<job>.stages} list names before
     *                the stages of this point (empty: the source)
     */
    public record Point(String name, Payload carries, Optional<String> after) {
    }

    public static final Point AFTER_RESOLVE = new Point("after-resolve", Payload.RESOLVED_LOG, Optional.of("resolve"));
    public static final Point AFTER_REDACT = new Point("after-redact", Payload.RESOLVED_LOG, Optional.of("redact"));
    public static final Point AFTER_SOURCE = new Point("after-source", Payload.STATE_RECORDS, Optional.empty());

    public static final Job REPLAY = new Job("replay", List.of(AFTER_RESOLVE));
    public static final Job BACKUP = new Job("backup", List.of(AFTER_RESOLVE, AFTER_REDACT));
    public static final Job SEAL = new Job("seal", List.of(AFTER_SOURCE));
    public static final Job RESTORE = new Job("restore", List.of(AFTER_SOURCE));
    private static final List<Job> JOBS = List.of(REPLAY, BACKUP, SEAL, RESTORE);

    private static final Hooks NONE = new Hooks(Map.of());

    private final Map<String, List<Stage.FlowStage>> byPoint;

    private Hooks(Map<String, List<Stage.FlowStage>> byPoint) {
        this.byPoint = Map.copyOf(byPoint);
    }

    /** No stage at any point: the job as it is. */
    public static Hooks none() {
        return NONE;
    }

    /**
     * The stages the configuration puts at {@code job}'s points, made and checked: an unknown job, point or stage,
     * a bad setting, or a stage that does not pass on what it takes is a {@link PipelineFileException} naming where.
     * Plugins come from {@code raftpipe.plugins}.
     */
    public static Hooks of(Config launcher, Job job) {
        checkNames(launcher);
        Map<Point, List<PipelineFile.Step>> steps = legacy(launcher, job);
        if (launcher.hasPath(ROOT + "." + job.name())) {
            Config block = launcher.getConfig(ROOT + "." + job.name());
            for (Point p : job.points()) {
                steps.get(p).addAll(PipelineFile.list(block, p.name()));
            }
        }
        if (steps.values().stream().allMatch(List::isEmpty)) {
            return NONE; // no plugin class loader, no service lookup: start-up stays cheap
        }
        StageCatalog catalog = StageCatalog.load(launcher, PipelineRun.pluginDir(Optional.empty(), launcher));
        Path base = Path.of("").toAbsolutePath();
        Map<String, List<Stage.FlowStage>> made = new LinkedHashMap<>();
        steps.forEach((point, list) -> {
            List<Stage.FlowStage> flows = new ArrayList<>();
            for (PipelineFile.Step step : list) {
                Stage stage = catalog.make(step, base, Optional.of(point.carries()));
                if (!(stage instanceof Stage.FlowStage flow) || !flow.consumes().accepts(point.carries())
                        || flow.produces() != point.carries()) {
                    throw new PipelineFileException(step.where() + ": stage '" + step.stage() + "' cannot run at "
                            + ROOT + "." + job.name() + "." + point.name() + ", which carries " + point.carries()
                            + ": a hook is a flow that passes on what it receives (StageSettings.receives())");
                }
                flows.add(flow);
            }
            made.put(point.name(), flows);
        });
        return new Hooks(made);
    }

    /** Whether no point has a stage. */
    public boolean isEmpty() {
        return byPoint.values().stream().allMatch(List::isEmpty);
    }

    /** The stages at {@code point} in order, as one flow whose value completes when every one of theirs has. */
    @SuppressWarnings("unchecked") // checked by payload when the stages were made: each passes on what it takes
    public <T> Flow<T, T, CompletionStage<Void>> at(Point point) {
        Flow<T, T, CompletionStage<Void>> chain = Flow.<T>create()
                .mapMaterializedValue(n -> CompletableFuture.completedFuture(null));
        for (Stage.FlowStage stage : byPoint.getOrDefault(point.name(), List.of())) {
            chain = chain.viaMat((Flow<T, T, Object>) stage.flow(), Hooks::awaitBoth);
        }
        return chain;
    }

    private static CompletionStage<Void> awaitBoth(CompletionStage<Void> before, Object value) {
        return value instanceof CompletionStage<?> c ? before.thenCombine(c, (a, b) -> null) : before;
    }

    /** {@code raftpipe.pipelines.<job>.stages} as hooks: the stages between the job's own. */
    private static Map<Point, List<PipelineFile.Step>> legacy(Config launcher, Job job) {
        Map<Point, List<PipelineFile.Step>> steps = new LinkedHashMap<>();
        job.points().forEach(p -> steps.put(p, new ArrayList<>()));
        String path = LEGACY_ROOT + "." + job.name();
        if (!launcher.hasPath(path)) {
            return steps;
        }
        Config block = launcher.getConfig(path);
        for (Map.Entry<String, ConfigValue> e : block.root().entrySet()) {
            if (!e.getKey().equals("stages")) {
                throw new PipelineFileException(StageSettings.where(e.getValue().origin()) + ": " + path + "."
                        + e.getKey() + ": a built-in command takes its source and sinks from its flags; put stages at "
                        + ROOT + "." + job.name() + ".<point> (points: " + job.pointNames() + ")");
            }
        }
        Optional<Point> current = job.point(AFTER_SOURCE.name());
        Set<String> seen = new HashSet<>();
        for (PipelineFile.Step step : PipelineFile.list(block, "stages")) {
            Optional<Point> starting = job.points().stream()
                    .filter(p -> p.after().equals(Optional.of(step.stage()))).findFirst();
            if (starting.isPresent()) {
                if (step.block().root().size() > 1) {
                    throw new PipelineFileException(step.where() + ": stage '" + step.stage() + "' is the command's "
                            + "own: its settings come from the command's flags");
                }
                current = starting;
                seen.add(step.stage());
            } else if (current.isEmpty()) {
                throw new PipelineFileException(step.where() + ": stage '" + step.stage() + "' before '"
                        + job.points().get(0).after().orElseThrow() + "': " + job.name() + " runs added stages only "
                        + "after it (" + ROOT + "." + job.name() + ".<point>, points: " + job.pointNames() + ")");
            } else {
                steps.get(current.get()).add(step);
            }
        }
        for (Point p : job.points()) {
            if (p.after().isPresent() && !seen.contains(p.after().get())) {
                throw new PipelineFileException(path + ": the pipeline has no '" + p.after().get() + "' stage, "
                        + "which this command needs");
            }
        }
        return steps;
    }

    /** Refuses a job or point under {@code raftpipe.hooks} that does not exist: a typo would add nothing. */
    private static void checkNames(Config launcher) {
        if (!launcher.hasPath(ROOT)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> e : launcher.getObject(ROOT).entrySet()) {
            String where = StageSettings.where(e.getValue().origin());
            Optional<Job> job = JOBS.stream().filter(j -> j.name().equals(e.getKey())).findFirst();
            if (job.isEmpty()) {
                throw new PipelineFileException(where + ": " + ROOT + "." + e.getKey() + ": no such job (jobs with "
                        + "hook points: " + String.join(", ", JOBS.stream().map(Job::name).toList()) + ")");
            }
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new PipelineFileException(where + ": " + ROOT + "." + e.getKey() + " must be an object of "
                        + "hook points (" + job.get().pointNames() + ")");
            }
            for (Map.Entry<String, ConfigValue> p : ((ConfigObject) e.getValue()).entrySet()) {
                if (job.get().point(p.getKey()).isEmpty()) {
                    throw new PipelineFileException(StageSettings.where(p.getValue().origin()) + ": " + ROOT + "."
                            + e.getKey() + "." + p.getKey() + ": no such hook point (points: "
                            + job.get().pointNames() + ")");
                }
            }
        }
    }
}
