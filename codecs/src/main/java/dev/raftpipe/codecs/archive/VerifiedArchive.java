package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.state.StateCounts;

/**
 * An archive that passed every check: its meta.json, the digest of the whole file as HashiCorp's
 * Checksum() gives it, sizes, and what state.bin held when it was decoded.
 */
public record VerifiedArchive(ArchiveMeta meta, String checksum, long archiveBytes, long stateBytes,
                              StateCounts counts, byte[] contentDigest, String sealer) {
}
