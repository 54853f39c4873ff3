package dev.raftpipe.pipeline;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** {@code <target>.tmp-<random>}: where an output is built before it is renamed onto its published name. */
public final class TempNames {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TempNames() {
    }

    public static Path beside(Path target) {
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        return target.toAbsolutePath().resolveSibling(target.getFileName() + ".tmp-" + HexFormat.of().formatHex(r));
    }
}
