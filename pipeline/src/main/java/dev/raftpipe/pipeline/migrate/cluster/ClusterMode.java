package dev.raftpipe.pipeline.migrate.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A node of raftpipe's Pekko Cluster: the address it binds, the seed nodes it joins, its role
 * ({@code worker} runs jobs; {@code coordinator} is the {@code migrate} process holding the journal).
 * These come from the command line, so they sit above every configuration file.
 */
public record ClusterMode(String host, int port, List<String> seeds, String role) {
    public static final String WORKER = "worker";
    public static final String COORDINATOR = "coordinator";
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}");

    public ClusterMode {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("--cluster needs at least one seed node, as host:port");
        }
        for (String s : seeds) {
            if (!HOST_PORT.matcher(s).matches()) {
                throw new IllegalArgumentException("seed node '" + s + "' is not host:port");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, not " + port);
        }
    }

    /** The system's name: every node of one cluster must share it. */
    public static String systemName() {
        return "raftpipe";
    }

    public Config over(Config config) {
        List<String> seedAddresses = seeds.stream().map(s -> "pekko://" + systemName() + "@" + s).toList();
        return ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "cluster",
                        "pekko.remote.artery.canonical.hostname", host,
                        "pekko.remote.artery.canonical.port", port))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedAddresses))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(role)))
                .withFallback(config);
    }
}
