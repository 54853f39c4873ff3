package dev.raftpipe.codecs.archive;

/**
 * What a reader accepts before it calls an archive hostile: the largest state.bin, and the largest
 * ratio of decompressed to compressed bytes (a gzip bomb has ratios in the thousands).
 */
public record ArchiveLimits(long maxStateBytes, double maxRatio) {
    public ArchiveLimits {
        if (maxStateBytes < 1 || maxRatio < 1) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }
}
