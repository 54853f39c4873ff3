package dev.raftpipe.pipeline.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * The directories a restore makes on the way to its target: when the restore fails they are removed again, from the
 * target up to the first one that did not exist before, each only while it is empty (a failed run leaves nothing,
 * and never removes what someone else put there).
 */
final class CreatedDirectories {
    /** Work that may create {@code target} and fail either before it returns or in the stage it returns. */
    interface Work<T> {
        CompletionStage<T> start() throws IOException;
    }

    private CreatedDirectories() {
    }

    static <T> CompletionStage<T> removedOnFailure(Path target, Work<T> work) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path firstMissing = null;
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            firstMissing = p;
        }
        Path created = firstMissing;
        CompletionStage<T> started;
        try {
            started = work.start();
        } catch (IOException | RuntimeException e) {
            removeEmpty(absolute, created);
            throw e;
        }
        return started.whenComplete((done, failure) -> {
            if (failure != null) {
                removeEmpty(absolute, created);
            }
        });
    }

    private static void removeEmpty(Path target, Path created) {
        if (created == null) {
            return;
        }
        for (Path p = target; p != null && p.startsWith(created); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException notEmptyOrNotOurs) {
                return;
            }
        }
    }
}
