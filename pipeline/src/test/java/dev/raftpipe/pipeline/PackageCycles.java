package dev.raftpipe.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The strongly connected sets of more than one node of a directed graph (Tarjan), each a cycle of packages. */
final class PackageCycles {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<Set<String>> cycles = new ArrayList<>();

    private PackageCycles(Map<String, Set<String>> graph) {
        this.graph = graph;
    }

    static List<Set<String>> of(Map<String, Set<String>> graph) {
        PackageCycles finder = new PackageCycles(graph);
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!finder.index.containsKey(node)) {
                finder.visit(node);
            }
        }
        return finder.cycles;
    }

    private void visit(String node) {
        int at = index.size();
        index.put(node, at);
        lowLink.put(node, at);
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                visit(next);
                lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
            } else if (onStack.contains(next)) {
                lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
            }
        }
        if (lowLink.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }
}
