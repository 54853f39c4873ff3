package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import dev.raftpipe.pipeline.migrate.cluster.ClusterMode;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Where a node of raftpipe's Pekko Cluster binds, and which seed nodes it joins. */
class ClusterOptions {
    @Option(names = "--cluster", split = ",", paramLabel = "<host:port>",
            description = "Seed nodes of the Pekko Cluster (repeatable or comma-separated).")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--host", paramLabel = "<host>", description = "Address to bind and be reached on (default raftpipe.cluster.host).")
    String host;

    ClusterMode mode(Config config, int port, String role) {
        try {
            return new ClusterMode(host != null ? host : config.getString("raftpipe.cluster.host"), port, seeds, role);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
