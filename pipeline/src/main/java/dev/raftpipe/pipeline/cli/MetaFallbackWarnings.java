package dev.raftpipe.pipeline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.bolt.MetaFallback;
import dev.raftpipe.pipeline.MetaFallbackJson;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every bbolt meta-page fallback a command meets, said once per file: a warning line on stderr as it happens, and
 * {@code meta_fallback} in the command's {@code --json} report (absent when every meta page read was sound).
 */
final class MetaFallbackWarnings implements AutoCloseable {
    private static volatile MetaFallbackWarnings current;

    private final List<MetaFallback> met = new CopyOnWriteArrayList<>();
    private final Set<String> said = ConcurrentHashMap.newKeySet();
    private final AutoCloseable listening;

    private MetaFallbackWarnings() {
        listening = MetaFallback.listen(this::met);
    }

    /** For the command about to run; what an earlier command in this JVM met is forgotten. */
    static MetaFallbackWarnings start() {
        current = new MetaFallbackWarnings();
        return current;
    }

    private void met(MetaFallback f) {
        if (said.add(f.file() + "@" + f.usedTxid())) {
            met.add(f);
            System.err.println("raftpipe: warning: " + f.file() + ": " + f.describe());
        }
    }

    /** Adds {@code meta_fallback} to a report when the command met one (the first, which names its file). */
    static ObjectNode addTo(ObjectNode report) {
        MetaFallbackWarnings w = current;
        if (w != null && !w.met.isEmpty()) {
            report.set("meta_fallback", MetaFallbackJson.of(w.met.get(0)));
        }
        return report;
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
