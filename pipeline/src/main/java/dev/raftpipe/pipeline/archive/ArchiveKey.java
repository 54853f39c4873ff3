package dev.raftpipe.pipeline.archive;

import dev.raftpipe.codecs.archive.SealKey;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.Sealers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How an archive is sealed or opened: a sealer kind and a key file, and the one reading of them that flags
 * ({@code --seal}, {@code --key-file}), stage settings and migration plans share. Sealing needs both or neither;
 * opening with a key file alone uses the kind the archive names.
 */
public record ArchiveKey(Optional<String> seal, Optional<Path> keyFile) {

    /** Names a setting as the user wrote it: {@code --seal} on the command line, {@code seal} in a file. */
    public static final UnaryOperator<String> FLAGS = name -> "--" + name;
    public static final UnaryOperator<String> SETTINGS = name -> name;

    /** A seal or key-file setting that cannot be used; {@link #setting()} is the one at fault, as it is written. */
    public static final class Invalid extends IllegalArgumentException {
        private final String setting;

        Invalid(String setting, String message) {
            super(message);
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    public static ArchiveKey none() {
        return new ArchiveKey(Optional.empty(), Optional.empty());
    }

    /** The sealer to seal with: none without either setting; both are needed otherwise. */
    public Optional<Sealer> sealing(UnaryOperator<String> named) {
        if (seal.isEmpty() && keyFile.isEmpty()) {
            return Optional.empty();
        }
        if (seal.isEmpty() || keyFile.isEmpty()) {
            throw new Invalid(seal.isPresent() ? "seal" : "key-file",
                    named.apply("seal") + " and " + named.apply("key-file") + " go together");
        }
        return Optional.of(sealer(seal.get()));
    }

    /** The sealer that opens {@code archive}: with a key file, the kind named or else the archive's own. */
    public Optional<Sealer> opening(Path archive, UnaryOperator<String> named) throws IOException {
        return keyFile.isEmpty() ? withoutKey(named)
                : Optional.of(sealer(ArchiveJobs.openingKind(archive, seal)));
    }

    /**
     * The same when the archive's kind cannot be read yet: the kind named, else HMAC; the stage that reads the
     * archive reports what is wrong with it.
     */
    public Optional<Sealer> openingUnread(UnaryOperator<String> named) {
        return keyFile.isEmpty() ? withoutKey(named) : Optional.of(sealer(seal.orElse(Sealers.HMAC)));
    }

    private Optional<Sealer> withoutKey(UnaryOperator<String> named) {
        if (seal.isPresent()) {
            throw new Invalid("seal", named.apply("seal") + " needs " + named.apply("key-file"));
        }
        return Optional.empty();
    }

    /** Any bad key file is the user's to fix: missing, a directory, or the wrong length. */
    private Sealer sealer(String kind) {
        Path file = keyFile.orElseThrow();
        if (Files.isDirectory(file)) {
            throw new Invalid("key-file", file + ": a directory, not a key file (32 bytes or 64 hex characters)");
        }
        if (!Files.isRegularFile(file)) {
            throw new Invalid("key-file", file + ": key file not found (make one with: head -c 32 /dev/urandom > key)");
        }
        byte[] key;
        try {
            key = SealKey.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new Invalid("key-file", e.getMessage());
        }
        try {
            return Sealers.of(kind, key);
        } catch (IllegalArgumentException e) {
            throw new Invalid("seal", e.getMessage());
        }
    }
}
