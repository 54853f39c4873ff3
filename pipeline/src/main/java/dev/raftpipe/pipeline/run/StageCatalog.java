package dev.raftpipe.pipeline.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.pipeline.spi.Payload;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.pipeline.spi.StageFactory;
import dev.raftpipe.pipeline.spi.StageSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.stream.Stream;

/**
 * The stage factories a pipeline may name: the built-in ones and those of the plugin JARs, with the configuration
 * their settings read (the plugins' own reference.conf behind the launcher's). Shared by {@code raftpipe run} and the
 * hook points of the built-in jobs, so that a stage is made and checked the same way in both.
 */
public final class StageCatalog {
    private final Map<String, StageFactory> factories;
    private final Config config;

    private StageCatalog(Map<String, StageFactory> factories, Config config) {
        this.factories = factories;
        this.config = config;
    }

    /** The built-in stages and those of the JARs in {@code plugins}, if given. */
    public static StageCatalog load(Config launcher, Optional<Path> plugins) {
        ClassLoader loader = plugins.map(dir -> pluginLoader(dir, StageCatalog.class.getClassLoader()))
                .orElse(StageCatalog.class.getClassLoader());
        Map<String, StageFactory> byName = new TreeMap<>();
        for (StageFactory f : ServiceLoader.load(StageFactory.class, loader)) {
            byName.putIfAbsent(f.name(), f);
        }
        // the plugins' reference.conf files were not on the class path when the launcher loaded its configuration
        Config withPlugins = plugins.isEmpty() ? launcher
                : launcher.withFallback(ConfigFactory.defaultReference(loader)).resolve();
        return new StageCatalog(byName, withPlugins);
    }

    /**
     * Makes the stage a step names, with its settings read as the stage asks for them: an unknown stage, a bad
     * setting or one the stage never read is a {@link PipelineFileException} naming the step's file and line.
     *
     * @param receives what the step before produces (empty for a source)
     */
    public Stage make(PipelineFile.Step step, Path baseDir, Optional<Payload> receives) {
        StageFactory f = factories.get(step.stage());
        if (f == null) {
            throw new PipelineFileException(step.where() + ": unknown stage '" + step.stage() + "' (known: "
                    + String.join(", ", factories.keySet()) + ")");
        }
        StageSettings settings = new StageSettings(step.stage(), step.block(), config, baseDir, receives);
        Stage stage = f.create(settings);
        settings.refuseUnknown();
        return stage;
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
