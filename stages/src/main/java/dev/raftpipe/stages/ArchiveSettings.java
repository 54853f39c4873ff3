package dev.raftpipe.stages;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.archive.ArchiveLimits;
import dev.raftpipe.codecs.archive.Sealer;

import java.util.Optional;

/**
 * Settings of {@link SnapshotArchive}; defaults under {@code raftpipe.archive} in reference.conf. The
 * sealer (none by default) comes from the command line or code, never from a config file.
 */
public final class ArchiveSettings {
    private final Optional<Sealer> sealer;
    private final int deflateLevel;
    private final int gzipLevel;
    private final int blockBytes;
    private final boolean selfTest;
    private final ArchiveLimits limits;
    private final int bufferRecords;
    private final String producer;

    private ArchiveSettings(Optional<Sealer> sealer, int deflateLevel, int gzipLevel, int blockBytes, boolean selfTest,
                            ArchiveLimits limits, int bufferRecords, String producer) {
        if (deflateLevel < 0 || deflateLevel > 9 || gzipLevel < 0 || gzipLevel > 9) {
            throw new IllegalArgumentException("compression levels run from 0 to 9");
        }
        if (blockBytes < 1024 || bufferRecords < 1) {
            throw new IllegalArgumentException("raftpipe.archive.block-size must be at least 1KiB and buffer-records positive");
        }
        this.sealer = sealer;
        this.deflateLevel = deflateLevel;
        this.gzipLevel = gzipLevel;
        this.blockBytes = blockBytes;
        this.selfTest = selfTest;
        this.limits = limits;
        this.bufferRecords = bufferRecords;
        this.producer = producer;
    }

    public static ArchiveSettings create() {
        return create(ConfigFactory.load());
    }

    public static ArchiveSettings create(Config config) {
        Config c = config.getConfig("raftpipe.archive");
        return new ArchiveSettings(Optional.empty(), c.getInt("deflate-level"), c.getInt("gzip-level"),
                Math.toIntExact(c.getBytes("block-size")), c.getBoolean("self-test"),
                new ArchiveLimits(c.getBytes("max-state-size"), c.getDouble("max-decompression-ratio")),
                c.getInt("buffer-records"), c.getString("producer"));
    }

    public ArchiveSettings withSealer(Optional<Sealer> sealer) {
        return new ArchiveSettings(sealer, deflateLevel, gzipLevel, blockBytes, selfTest, limits, bufferRecords, producer);
    }

    public ArchiveSettings withSelfTest(boolean on) {
        return new ArchiveSettings(sealer, deflateLevel, gzipLevel, blockBytes, on, limits, bufferRecords, producer);
    }

    public ArchiveSettings withDeflateLevel(int level) {
        return new ArchiveSettings(sealer, level, gzipLevel, blockBytes, selfTest, limits, bufferRecords, producer);
    }

    public ArchiveSettings withGzipLevel(int level) {
        return new ArchiveSettings(sealer, deflateLevel, level, blockBytes, selfTest, limits, bufferRecords, producer);
    }

    public ArchiveSettings withLimits(ArchiveLimits l) {
        return new ArchiveSettings(sealer, deflateLevel, gzipLevel, blockBytes, selfTest, l, bufferRecords, producer);
    }

    public ArchiveSettings withProducer(String name) {
        return new ArchiveSettings(sealer, deflateLevel, gzipLevel, blockBytes, selfTest, limits, bufferRecords, name);
    }

    public Optional<Sealer> sealer() {
        return sealer;
    }

    public int deflateLevel() {
        return deflateLevel;
    }

    public int gzipLevel() {
        return gzipLevel;
    }

    public int blockBytes() {
        return blockBytes;
    }

    public boolean selfTest() {
        return selfTest;
    }

    public ArchiveLimits limits() {
        return limits;
    }

    public int bufferRecords() {
        return bufferRecords;
    }

    public String producer() {
        return producer;
    }
}
