package dev.raftpipe.pipeline;

import dev.raftpipe.store.Backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * A backend a job builds only to read it again (a data dir replayed before it is sealed or exported): named
 * {@code <out>.tmp-<random>.scratch.db} beside the job's output, so it lands on the disk the user chose and is
 * recognisably a leftover of that output, and removed with its SQLite side files when the work ends.
 */
public final class ScratchBackend {
    private ScratchBackend() {
    }

    public static Path beside(Path out) {
        return Path.of(TempNames.beside(out) + ".scratch.db");
    }

    /** {@code work}, with the scratch backend removed when it completes, either way. */
    public static <T> CompletionStage<T> removedAfter(Path scratch, CompletionStage<T> work) {
        return work.whenComplete((done, failure) -> delete(scratch));
    }

    /** Removes a SQLite file with its side files; a leftover is named as ours, the work's own result matters more. */
    public static void delete(Path db) {
        try {
            Backend.delete(db);
        } catch (IOException ignored) {
            // see above
        }
    }
}
