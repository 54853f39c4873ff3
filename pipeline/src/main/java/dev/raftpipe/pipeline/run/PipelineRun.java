package dev.raftpipe.pipeline.run;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * {@code raftpipe run}: a pipeline file's stages made by their factories (built in, or from plugin
 * JARs), checked end to end before anything starts, then run as one graph. Reports what every stage
 * materialized, by position and name.
 */
public final class PipelineRun {
    private PipelineRun() {
    }

    /** A checked pipeline, ready to run. */
    public record Checked(PipelineFile file, List<Named> stages) {
        /** A copy with the sink named {@code name} replaced by {@code sink}, which consumes what it consumed. */
        public Checked replacing(String name, Stage sink) {
            List<Named> replaced = new ArrayList<>();
            boolean found = false;
            for (Named n : stages) {
                if (n.name().equals(name) && n.stage() instanceof Stage.SinkStage old
                        && sink instanceof Stage.SinkStage given && given.consumes() == old.consumes()) {
                    replaced.add(new Named(name, sink));
                    found = true;
                } else {
                    replaced.add(n);
                }
            }
            if (!found) {
                throw new PipelineFileException(file.name() + ": no '" + name + "' sink to replace by one that "
                        + "consumes the same");
            }
            return new Checked(file, replaced);
        }
    }

    public record Named(String name, Stage stage) {
    }

    /** Makes every stage and checks that each one consumes what the one before produces. */
    public static Checked check(PipelineFile file, Config launcher, Optional<Path> plugins) {
        ClassLoader loader = plugins.map(dir -> pluginLoader(dir, PipelineRun.class.getClassLoader()))
                .orElse(PipelineRun.class.getClassLoader());
        Map<String, StageFactory> factories = factories(loader);
        // the plugins' reference.conf files were not on the class path when the launcher loaded its configuration
        Config withPlugins = plugins.isEmpty() ? launcher
                : launcher.withFallback(com.typesafe.config.ConfigFactory.defaultReference(loader)).resolve();
        List<Named> made = new ArrayList<>();
        List<PipelineFile.Step> all = new ArrayList<>();
        all.add(file.source());
        all.addAll(file.stages());
        all.addAll(file.sinks());
        Payload produced = null;
        for (PipelineFile.Step step : all) {
            StageFactory f = factories.get(step.stage());
            if (f == null) {
                throw new PipelineFileException(step.where() + ": unknown stage '" + step.stage() + "' (known: "
                        + String.join(", ", factories.keySet()) + ")");
            }
            StageSettings settings = new StageSettings(step.stage(), step.block(), withPlugins, file.baseDir(),
                    Optional.ofNullable(produced));
            Stage stage = f.create(settings);
            made.add(new Named(step.stage(), stage));
            settings.refuseUnknown();
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
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static CompletionStage<PipelineReport> run(Checked checked, ActorSystem system, Optional<String> progress) {
        List<Named> stages = checked.stages();
        int sinks = checked.file().sinks().size();
        Stage.SourceStage first = (Stage.SourceStage) stages.get(0).stage();
        Source graph = first.source().mapMaterializedValue(m -> append(new ArrayList<>(), m));
        if (progress.isPresent()) {
            graph = graph.via(Progress.of(progress.get(), first.produces(), first.size().get(), System.err));
        }
        for (Named n : stages.subList(1, stages.size() - sinks)) {
            graph = graph.viaMat((Flow) ((Stage.FlowStage) n.stage()).flow(), PipelineRun::append);
        }
        List<Named> sinkStages = stages.subList(stages.size() - sinks, stages.size());
        for (Named n : sinkStages.subList(0, sinks - 1)) {
            graph = graph.alsoToMat((Sink) ((Stage.SinkStage) n.stage()).sink(), PipelineRun::append);
        }
        List<Object> mats = (List<Object>) graph
                .toMat((Sink) ((Stage.SinkStage) sinkStages.get(sinks - 1).stage()).sink(), PipelineRun::append)
                .run(system);
        // graph order: source, stages, then the sinks as they were attached (the last one last)
        CompletableFuture<?>[] waits = new CompletableFuture<?>[mats.size()];
        Object[] values = new Object[mats.size()];
        for (int i = 0; i < mats.size(); i++) {
            int at = i;
            waits[i] = mats.get(i) instanceof CompletionStage<?> c
                    ? c.toCompletableFuture().thenAccept(v -> values[at] = v)
                    : CompletableFuture.completedFuture(null);
        }
        return dev.raftpipe.pipeline.Streams.allReportingRealFailure(waits).thenApply(done -> {
            List<PipelineReport.StageReport> reports = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v != null && !(v instanceof org.apache.pekko.NotUsed) && !(v instanceof org.apache.pekko.Done)) {
                    reports.add(new PipelineReport.StageReport(i + 1, stages.get(i).name(), v));
                }
            }
            return new PipelineReport(checked.file().name(), reports);
        });
    }

    /** The plugin directory: the one given, else {@code raftpipe.plugins} if set. */
    public static Optional<Path> pluginDir(Optional<Path> given, Config launcher) {
        return given.or(() -> launcher.hasPath("raftpipe.plugins")
                ? Optional.of(Path.of(launcher.getString("raftpipe.plugins"))) : Optional.empty());
    }

    private static List<Object> append(Object left, Object right) {
        @SuppressWarnings("unchecked")
        List<Object> list = left instanceof List<?> l ? (List<Object>) l : new ArrayList<>(List.of(left));
        list.add(right);
        return list;
    }

    private static PipelineFileException mismatch(PipelineFile.Step step, String why) {
        return new PipelineFileException(step.where() + ": stage '" + step.stage() + "' " + why);
    }

    private static Map<String, StageFactory> factories(ClassLoader loader) {
        Map<String, StageFactory> byName = new TreeMap<>();
        for (StageFactory f : ServiceLoader.load(StageFactory.class, loader)) {
            byName.putIfAbsent(f.name(), f);
        }
        return byName;
    }

    private static ClassLoader pluginLoader(Path dir, ClassLoader parent) {
        if (!Files.isDirectory(dir)) {
            throw new PipelineFileException(dir + ": the plugin directory does not exist");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<URL> jars = new ArrayList<>();
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
            return new URLClassLoader(jars.toArray(URL[]::new), parent);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
