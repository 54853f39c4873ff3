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
    private LauncherConfig() {
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
                .withFallback(ConfigFactory.parseResources(LauncherConfig.class.getClassLoader(), "raftpipe-launcher.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }
}
