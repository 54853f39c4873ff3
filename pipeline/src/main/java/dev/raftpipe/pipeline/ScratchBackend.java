package dev.raftpipe.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
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
        byte[] r = new byte[8];
        new SecureRandom().nextBytes(r);
        return out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp-" + HexFormat.of().formatHex(r) + ".scratch.db");
    }

    /** {@code work}, with the scratch backend removed when it completes, either way. */
    public static <T> CompletionStage<T> removedAfter(Path scratch, CompletionStage<T> work) {
        return work.whenComplete((done, failure) -> {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                try {
                    Files.deleteIfExists(Path.of(scratch + suffix));
                } catch (IOException ignored) {
                    // a leftover is named as ours; the work's own result is what to report
                }
            }
        });
    }
}
