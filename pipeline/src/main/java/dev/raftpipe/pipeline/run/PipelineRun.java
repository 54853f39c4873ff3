package dev.raftpipe.pipeline.run;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import dev.raftpipe.pipeline.spi.Stage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code raftpipe run}: a pipeline file's stages made by their factories (built in, or from plugin
 * JARs), checked end to end before anything starts, then run as one graph. Reports what every stage
 * materialized, by position and name.
 */
public final class PipelineRun {
    /** What a stage that ran and reports nothing (its value is Done or NotUsed) shows: an empty object. */
    private static final Map<String, Object> NOTHING_TO_REPORT = Map.of();

    private PipelineRun() {
    }

    /** A checked pipeline, ready to run. */
    public record Checked(PipelineFile file, List<Named> stages) {
    }

    public record Named(String name, Stage stage) {
    }

    /** Makes every stage and checks that each one consumes what the one before produces. */
    public static Checked check(PipelineFile file, Config launcher, Optional<Path> plugins) {
        StageCatalog catalog = StageCatalog.load(launcher, plugins);
        List<Named> made = new ArrayList<>();
        List<PipelineFile.Step> all = new ArrayList<>();
        all.add(file.source());
        all.addAll(file.stages());
        all.addAll(file.sinks());
        Payload produced = null;
        for (PipelineFile.Step step : all) {
            Stage stage = catalog.make(step, file.baseDir(), Optional.ofNullable(produced));
            made.add(new Named(step.stage(), stage));
            // sinks all receive what the last flow produced
            produced = stage instanceof Stage.SourceStage src ? src.produces()
                    : stage instanceof Stage.FlowStage flow ? flow.produces() : produced;
        }
        Payload flowing = null;
        for (int i = 0; i < made.size(); i++) {
            PipelineFile.Step step = all.get(i);
            Stage s = made.get(i).stage();
            boolean first = i == 0;
            boolean sink = i > file.stages().size();
            if (first && !(s instanceof Stage.SourceStage)) {
                throw mismatch(step, "is not a source");
            }
            if (!first && s instanceof Stage.SourceStage) {
                throw mismatch(step, "is a source: only the first stage may be one");
            }
            if (sink != (s instanceof Stage.SinkStage) && !first) {
                throw mismatch(step, sink ? "is not a sink, and sinks lists only sinks" : "is a sink: put it in sinks");
            }
            Payload consumes = s instanceof Stage.FlowStage f ? f.consumes() : s instanceof Stage.SinkStage k ? k.consumes() : null;
            if (consumes != null && !consumes.accepts(flowing)) {
                throw mismatch(step, "consumes " + consumes + " but receives " + flowing
                        + (consumes == Payload.RESOLVED_LOG && flowing == Payload.WAL_RECORDS
                        ? ": put { stage = resolve } before it (raw WAL records hold superseded and uncommitted "
                        + "entries)" : ""));
            }
            if (s instanceof Stage.SourceStage src) {
                flowing = src.produces();
            } else if (s instanceof Stage.FlowStage f) {
                flowing = f.produces();
            }
        }
        return new Checked(file, made);
    }

    /**
     * Runs a checked pipeline; completes with each stage's report (its materialized value, awaited) once
     * every stage has finished. With a progress label, a progress line is drawn on stderr as records leave
     * the source.
     */
    public static CompletionStage<PipelineReport> run(Checked checked, ActorSystem system, Optional<String> progress) {
        List<Named> stages = checked.stages();
        int sinks = checked.file().sinks().size();
        Stage.SourceStage first = (Stage.SourceStage) stages.get(0).stage();
        Source<Object, List<Object>> graph = elements(first.source()).mapMaterializedValue(m -> append(new ArrayList<>(), m));
        if (progress.isPresent()) {
            graph = graph.via(Progress.of(progress.get(), first.produces(), first.size().get(), System.err));
        }
        for (Named n : stages.subList(1, stages.size() - sinks)) {
            graph = graph.viaMat(elements(((Stage.FlowStage) n.stage()).flow()), PipelineRun::append);
        }
        List<Named> sinkStages = stages.subList(stages.size() - sinks, stages.size());
        for (Named n : sinkStages.subList(0, sinks - 1)) {
            graph = graph.alsoToMat(elements(((Stage.SinkStage) n.stage()).sink()), PipelineRun::append);
        }
        List<Object> mats = graph.toMat(elements(((Stage.SinkStage) sinkStages.get(sinks - 1).stage()).sink()),
                PipelineRun::append).run(system);
        // graph order: source, stages, then the sinks as they were attached (the last one last)
        CompletableFuture<?>[] waits = new CompletableFuture<?>[mats.size()];
        Object[] values = new Object[mats.size()];
        for (int i = 0; i < mats.size(); i++) {
            int at = i;
            values[i] = NOTHING_TO_REPORT;
            waits[i] = mats.get(i) instanceof CompletionStage<?> c
                    ? c.toCompletableFuture().thenAccept(v -> values[at] = v)
                    : CompletableFuture.completedFuture(null);
        }
        return Streams.allReportingRealFailure(waits).thenApply(done -> {
            List<PipelineReport.StageReport> reports = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                reports.add(new PipelineReport.StageReport(i + 1, stages.get(i).name(),
                        v == null || v instanceof NotUsed || v instanceof Done ? NOTHING_TO_REPORT : v));
            }
            return new PipelineReport(checked.file().name(), reports);
        });
    }

    /** The plugin directory: the one given, else {@code raftpipe.plugins} if set. */
    public static Optional<Path> pluginDir(Optional<Path> given, Config launcher) {
        return given.or(() -> launcher.hasPath("raftpipe.plugins")
                ? Optional.of(Path.of(launcher.getString("raftpipe.plugins"))) : Optional.empty());
    }

    private static List<Object> append(List<Object> left, Object right) {
        left.add(right);
        return left;
    }

    // The chain check made sure that each stage takes what the one before it gives; elements pass as they are.
    @SuppressWarnings("unchecked")
    private static Source<Object, Object> elements(Source<?, ?> source) {
        return (Source<Object, Object>) source;
    }

    @SuppressWarnings("unchecked")
    private static Flow<Object, Object, Object> elements(Flow<?, ?, ?> flow) {
        return (Flow<Object, Object, Object>) flow;
    }

    @SuppressWarnings("unchecked")
    private static Sink<Object, Object> elements(Sink<?, ?> sink) {
        return (Sink<Object, Object>) sink;
    }

    private static PipelineFileException mismatch(PipelineFile.Step step, String why) {
        return new PipelineFileException(step.where() + ": stage '" + step.stage() + "' " + why);
    }
}
