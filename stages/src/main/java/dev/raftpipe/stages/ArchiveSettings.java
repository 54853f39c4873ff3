package dev.raftpipe.stages;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.archive.ArchiveLimits;
import dev.raftpipe.codecs.archive.ArchiveMeta;
import dev.raftpipe.codecs.archive.Sealer;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Settings of {@link SnapshotArchive}; defaults under {@code raftpipe.archive} in reference.conf. The
 * sealer (none by default) comes from the command line or code, never from a config file.
 */
public final class ArchiveSettings {
    private final Optional<Sealer> sealer;
    private final String codec;
    private final int codecLevel;
    private final int gzipLevel;
    private final int blockBytes;
    private final int encryptionChunkBytes;
    private final boolean selfTest;
    private final ArchiveLimits limits;
    private final int bufferRecords;
    private final String producer;
    private final String source;
    private final OptionalLong clusterId;
    private final boolean verifyFirst;

    private ArchiveSettings(Optional<Sealer> sealer, String codec, int codecLevel, int gzipLevel, int blockBytes,
                            int encryptionChunkBytes, boolean selfTest,
                            ArchiveLimits limits, int bufferRecords, String producer, String source,
                            OptionalLong clusterId, boolean verifyFirst) {
        if (gzipLevel < 0 || gzipLevel > 9) {
            throw new IllegalArgumentException("raftpipe.archive.gzip-level runs from 0 to 9");
        }
        if (!List.of("zstandard", "snappy", "deflate", "null").contains(codec)) {
            throw new IllegalArgumentException("raftpipe.archive.codec must be zstandard, snappy, deflate or null, not "
                    + codec);
        }
        if (blockBytes < 1024 || bufferRecords < 1) {
            throw new IllegalArgumentException("raftpipe.archive.block-size must be at least 1KiB and buffer-records positive");
        }
        this.sealer = sealer;
        this.codec = codec;
        this.codecLevel = codecLevel;
        this.gzipLevel = gzipLevel;
        if (encryptionChunkBytes < 1024 || encryptionChunkBytes > 16 << 20) {
            throw new IllegalArgumentException("raftpipe.archive.encryption-chunk-size runs from 1KiB to 16MiB");
        }
        this.blockBytes = blockBytes;
        this.encryptionChunkBytes = encryptionChunkBytes;
        this.selfTest = selfTest;
        this.limits = limits;
        this.bufferRecords = bufferRecords;
        this.producer = producer;
        this.source = source;
        this.clusterId = clusterId;
        this.verifyFirst = verifyFirst;
    }

    public static ArchiveSettings create() {
        return create(ConfigFactory.load());
    }

    /** The settings of the actor system's configuration (its {@code reference.conf} and {@code application.conf}). */
    public static ArchiveSettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    public static ArchiveSettings create(Config config) {
        Config c = config.getConfig("raftpipe.archive");
        return new ArchiveSettings(Optional.empty(), c.getString("codec"), c.getInt("codec-level"), c.getInt("gzip-level"),
                Math.toIntExact(c.getBytes("block-size")), Math.toIntExact(c.getBytes("encryption-chunk-size")),
                c.getBoolean("self-test"),
                new ArchiveLimits(c.getBytes("max-state-size"), c.getDouble("max-decompression-ratio")),
                c.getInt("buffer-records"), c.getString("producer"), ArchiveMeta.FROM_BACKEND,
                OptionalLong.empty(), c.getBoolean("verify-first"));
    }

    public ArchiveSettings withSealer(Optional<Sealer> sealer) {
        return new ArchiveSettings(sealer, codec, codecLevel, gzipLevel, blockBytes, encryptionChunkBytes, selfTest, limits, bufferRecords, producer, source, clusterId, verifyFirst);
    }

    public ArchiveSettings withSelfTest(boolean on) {
        return new ArchiveSettings(sealer, codec, codecLevel, gzipLevel, blockBytes, encryptionChunkBytes, on, limits, bufferRecords, producer, source, clusterId, verifyFirst);
    }

    /** state.bin's Avro block codec and its level: zstandard, snappy, deflate or null. */
    public ArchiveSettings withCodec(String name, int level) {
        return new ArchiveSettings(sealer, name, level, gzipLevel, blockBytes, encryptionChunkBytes, selfTest, limits, bufferRecords, producer, source, clusterId, verifyFirst);
    }

    public ArchiveSettings withGzipLevel(int level) {
        return new ArchiveSettings(sealer, codec, codecLevel, level, blockBytes, encryptionChunkBytes, selfTest, limits, bufferRecords, producer, source, clusterId, verifyFirst);
    }

    public ArchiveSettings withLimits(ArchiveLimits l) {
        return new ArchiveSettings(sealer, codec, codecLevel, gzipLevel, blockBytes, encryptionChunkBytes, selfTest, l, bufferRecords, producer, source, clusterId, verifyFirst);
    }

    public ArchiveSettings withProducer(String name) {
        return new ArchiveSettings(sealer, codec, codecLevel, gzipLevel, blockBytes, encryptionChunkBytes, selfTest, limits, bufferRecords, name, source, clusterId, verifyFirst);
    }

    public Optional<Sealer> sealer() {
        return sealer;
    }

    public String codec() {
        return codec;
    }

    public int codecLevel() {
        return codecLevel;
    }

    public int gzipLevel() {
        return gzipLevel;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /** With an encrypting sealer: state.bin's plaintext per authenticated chunk (the unit of memory when reading). */
    public int encryptionChunkBytes() {
        return encryptionChunkBytes;
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

    /** The etcd cluster the sealed state came from, recorded in meta.json so a restore knows it too. */
    public ArchiveSettings withClusterId(OptionalLong id) {
        return new ArchiveSettings(sealer, codec, codecLevel, gzipLevel, blockBytes, encryptionChunkBytes, selfTest, limits,
                bufferRecords, producer, source, id, verifyFirst);
    }

    public OptionalLong clusterId() {
        return clusterId;
    }

    /** What the sealed state came from, recorded in meta.json ({@code backend}, {@code data-dir}, ...). */
    public ArchiveSettings withSource(String kind) {
        return new ArchiveSettings(sealer, codec, codecLevel, gzipLevel, blockBytes, encryptionChunkBytes, selfTest, limits, bufferRecords,
                producer, kind, clusterId, verifyFirst);
    }

    /**
     * Whether {@link SnapshotArchive#source} verifies the whole archive before it emits a record (two reads), or
     * emits records as it verifies them (one read; the stream fails at the end if the archive does not verify).
     * One read is only for sinks that publish nothing until their stream completes successfully.
     */
    public ArchiveSettings withVerifyFirst(boolean on) {
        return new ArchiveSettings(sealer, codec, codecLevel, gzipLevel, blockBytes, encryptionChunkBytes, selfTest, limits,
                bufferRecords, producer, source, clusterId, on);
    }

    public boolean verifyFirst() {
        return verifyFirst;
    }

    public String source() {
        return source;
    }

    public String producer() {
        return producer;
    }
}
