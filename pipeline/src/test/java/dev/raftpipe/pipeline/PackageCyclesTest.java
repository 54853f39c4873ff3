package dev.raftpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.pipeline.cli.Main;
import dev.raftpipe.pipeline.spi.Stage;
import dev.raftpipe.stages.WalSource;
import dev.raftpipe.store.Backend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The package graph of every module's main classes, as {@code jdeps} reads it from the bytecode, has no cycle: each
 * package can be read knowing only the packages below it. The modules' own layering is the enforcer's job; this
 * is the same rule one level down.
 */
class PackageCyclesTest {

    @Test
    void noPackageOfAnyModuleDependsOnItselfThroughOthers() throws Exception {
        Map<String, Set<String>> graph = packageGraph(
                classesOf(StateRecord.class), classesOf(Backend.class), classesOf(WalSource.class),
                classesOf(Stage.class), classesOf(Main.class));
        assertTrue(graph.keySet().stream().anyMatch(p -> p.startsWith("dev.raftpipe.codecs"))
                        && graph.keySet().stream().anyMatch(p -> p.startsWith("dev.raftpipe.pipeline.cli")),
                "jdeps read every module: " + graph.keySet());
        List<Set<String>> cycles = PackageCycles.of(graph);
        assertEquals(List.of(), cycles, () -> "package cycles (each set reaches itself): " + describe(cycles, graph));
    }

    @Test
    void theCycleFinderSeesACycleThroughThreePackagesAndNoneInAChain() {
        Map<String, Set<String>> cyclic = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"));
        assertEquals(List.of(Set.of("a", "b", "c")), PackageCycles.of(cyclic));
        assertEquals(List.of(), PackageCycles.of(Map.of("a", Set.of("b"), "b", Set.of("c"))));
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Package-to-package edges between raftpipe's own packages, a package's edge to itself left out. */
    private static Map<String, Set<String>> packageGraph(Path... classes) {
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-e", "dev\\.raftpipe\\..*"));
        for (Path p : classes) {
            args.add(p.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, exit, () -> "jdeps failed: " + err);
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("dev.raftpipe.") && f[2].startsWith("dev.raftpipe.")
                    && !f[0].equals(f[2])) {
                graph.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
            }
        }
        return graph;
    }

    private static String describe(List<Set<String>> cycles, Map<String, Set<String>> graph) {
        StringBuilder b = new StringBuilder();
        for (Set<String> cycle : cycles) {
            b.append("\n  ").append(cycle);
            for (String from : cycle) {
                for (String to : graph.getOrDefault(from, Set.of())) {
                    if (cycle.contains(to)) {
                        b.append("\n    ").append(from).append(" -> ").append(to);
                    }
                }
            }
        }
        return b.toString();
    }
}
