package dev.raftpipe.pipeline.location;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects whose local copies this process works on, so that a message or report names the user's
 * {@code s3://} URL and not the private copy's path.
 */
public final class StagedNames {
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    private StagedNames() {
    }

    static void register(Path staged, ObjectUrl url) {
        NAMES.put(staged.toString(), url.toString());
    }

    static void forget(Path staged) {
        NAMES.remove(staged.toString());
    }

    /** {@code text} with every staged copy's path (and anything named after it) replaced by its object's URL. */
    public static String withUserNames(String text) {
        String named = text;
        for (Map.Entry<String, String> e : NAMES.entrySet()) {
            named = named.replace(e.getKey(), e.getValue());
        }
        return named;
    }
}
