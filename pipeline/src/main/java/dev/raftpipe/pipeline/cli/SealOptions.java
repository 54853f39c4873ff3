package dev.raftpipe.pipeline.cli;

import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --key-file} and {@code --seal}: which sealer an archive is sealed or opened with ({@link ArchiveKey}'s rules). */
class SealOptions {
    @Option(names = "--key-file", paramLabel = "<file>",
            description = "32 random bytes, raw or as 64 hex characters (head -c 32 /dev/urandom > key).")
    Path keyFile;

    @Option(names = "--seal", paramLabel = "<kind>",
            description = "hmac (HMAC-SHA256: integrity only, the data stays readable) or aes-gcm (AES-256-GCM: "
                    + "state.bin encrypted under a per-archive data key, and the sums sealed); or a sealer plugged in "
                    + "on the classpath.")
    String seal;

    /** For sealing, checked as {@link #forSealing()} checks it. */
    ArchiveKey sealingKey() {
        forSealing();
        return key();
    }

    /** For opening, checked as {@link #forOpening(Path)} checks it. */
    ArchiveKey openingKey(Path archive) throws IOException {
        forOpening(archive);
        return key();
    }

    private ArchiveKey key() {
        return new ArchiveKey(Optional.ofNullable(seal), Optional.ofNullable(keyFile));
    }

    /** For sealing: the sealer named by --seal, with --key-file. */
    Optional<Sealer> forSealing() {
        try {
            return key().sealing(ArchiveKey.FLAGS);
        } catch (ArchiveKey.Invalid e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** For a source that may or may not be an archive: a sealer only when a key was given. */
    Optional<Sealer> forOpeningIfGiven(Path source) throws IOException {
        return keyFile == null && seal == null ? Optional.empty() : forOpening(source);
    }

    /** For reading: with --key-file, the archive's own sealer kind unless --seal names one. */
    Optional<Sealer> forOpening(Path archive) throws IOException {
        try {
            return key().opening(archive, ArchiveKey.FLAGS);
        } catch (ArchiveKey.Invalid e) {
            throw new UsageException(e.getMessage());
        }
    }
}
