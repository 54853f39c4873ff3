package dev.raftpipe.codecs.archive;

import java.util.Optional;

/**
 * Seals an archive's SHA256SUMS into SHA256SUMS.sealed, and opens it again. Add your own (a KMS, an
 * HSM) with a {@link SealerProvider} on the classpath.
 */
public interface Sealer {
    /** The name in meta.json and on the command line, e.g. {@code hmac-sha256}. */
    String kind();

    /** The bytes of SHA256SUMS.sealed for these exact SHA256SUMS bytes. */
    byte[] seal(byte[] sums);

    /**
     * Opens SHA256SUMS.sealed and gives back the sums it vouches for, which must equal the archive's
     * SHA256SUMS; a wrong key or an altered file is an {@link ArchiveVerificationException}.
     */
    byte[] open(byte[] sealed, byte[] sums);

    /**
     * The cipher that encrypts state.bin itself (archive format 3), for a sealer that keeps the data secret; empty
     * for one that vouches for integrity only.
     */
    default Optional<StateCipher> stateCipher() {
        return Optional.empty();
    }
}
