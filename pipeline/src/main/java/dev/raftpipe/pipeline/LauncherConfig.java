package dev.raftpipe.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The launcher's configuration, layered lowest to highest: every module's reference.conf, the
 * launcher's own Pekko settings, application.conf, {@code --config <file>}, then {@code -Dkey=value}.
 */
public final class LauncherConfig {
    /**
     * For a system that only runs streams: Pekko otherwise starts the typed extensions (the receptionist,
     * which sets up slf4j and logback) and every serializer on the classpath (Jackson, cluster, sharding)
     * at start-up, about a second, none of which a local stream uses. Extensions still load on first use.
     */
    private static final String STREAMS_ONLY = """
            pekko.library-extensions = ["org.apache.pekko.stream.SystemMaterializer$"]
            """;

    /** Pekko's own default logger at OFF, below application.conf so that users can still turn logging on. */
    private static final String QUIET_PEKKO = """
            pekko.loggers = ["org.apache.pekko.event.Logging$DefaultLogger"]
            pekko.logging-filter = "org.apache.pekko.event.DefaultLoggingFilter"
            pekko.loglevel = "OFF"
            pekko.use-slf4j = off
            """;
    private static volatile boolean quietPekko;

    private LauncherConfig() {
    }

    /** Whether Pekko should log nowhere (the launcher without --verbose). */
    public static void quietPekko(boolean quiet) {
        quietPekko = quiet;
    }

    /** The configuration for a system that runs local streams only (every command but migrate and worker). */
    public static Config streamsOnly(Config config) {
        return ConfigFactory.parseString(STREAMS_ONLY).withFallback(config);
    }

    public static Config load(Optional<Path> configFile) throws NoSuchFileException {
        Config file = ConfigFactory.empty();
        if (configFile.isPresent()) {
            Path p = configFile.get();
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null, "config file not found");
            }
            file = ConfigFactory.parseFile(p.toFile());
        }
        return ConfigFactory.defaultOverrides()
                .withFallback(file)
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(quietPekko ? ConfigFactory.parseString(QUIET_PEKKO) : ConfigFactory.empty())
                .withFallback(ConfigFactory.parseResources(LauncherConfig.class.getClassLoader(), "raftpipe-launcher.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }
}
