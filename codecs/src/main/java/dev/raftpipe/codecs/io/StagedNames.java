package dev.raftpipe.codecs.io;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The remote files (objects in S3-compatible storage) whose local copies this process works on, so that a message or
 * report names the user's URL and not the private copy's path. Applied before {@link TempOutput#withPublishedNames},
 * so that a temporary output beside a copy is named by the URL too.
 */
public final class StagedNames {
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    private StagedNames() {
    }

    public static void register(Path staged, String name) {
        NAMES.put(staged.toString(), name);
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
