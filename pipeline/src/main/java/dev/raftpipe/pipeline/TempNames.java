package dev.raftpipe.pipeline;

import dev.raftpipe.codecs.io.TempOutput;
import java.nio.file.Path;

/**
 * {@code <target>.tmp-<owner>-<random>}: where an output is built before it is renamed onto its published name; the
 * leftovers of killed runs are removed when the next run builds the same target ({@link dev.raftpipe.codecs.io.TempOutput}).
 */
public final class TempNames {
    private TempNames() {
    }

    public static Path beside(Path target) {
        return TempOutput.beside(target);
    }
}
