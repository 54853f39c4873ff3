package dev.raftpipe.stages;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalWriter;

import java.util.Optional;

/** Settings of {@link WalSink}; defaults under {@code raftpipe.wal-sink} in reference.conf. */
public final class WalSinkSettings {
    private final WalWriter.Options options;
    private final Optional<WalWriter.SegmentHandOff> handOff;

    private WalSinkSettings(WalWriter.Options options, Optional<WalWriter.SegmentHandOff> handOff) {
        this.options = options;
        this.handOff = handOff;
    }

    private WalSinkSettings(WalWriter.Options options) {
        this(options, Optional.empty());
    }

    public static WalSinkSettings create() {
        return create(ConfigFactory.load());
    }

    /** The settings of the actor system's configuration (its {@code reference.conf} and {@code application.conf}). */
    public static WalSinkSettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    public static WalSinkSettings create(Config config) {
        Config c = config.getConfig("raftpipe.wal-sink");
        return new WalSinkSettings(new WalWriter.Options(c.getBytes("segment-size"),
                Math.toIntExact(c.getBytes("write-buffer-size")), c.getBoolean("preallocate"),
                c.getBoolean("fsync"), Optional.empty()));
    }

    public WalSinkSettings withSegmentSize(long bytes) {
        return new WalSinkSettings(new WalWriter.Options(bytes, options.writeBufferBytes(), options.preallocate(),
                options.fsync(), options.metadata()), handOff);
    }

    public WalSinkSettings withPreallocate(boolean preallocate) {
        return new WalSinkSettings(new WalWriter.Options(options.segmentBytes(), options.writeBufferBytes(),
                preallocate, options.fsync(), options.metadata()), handOff);
    }

    public WalSinkSettings withFsync(boolean fsync) {
        return new WalSinkSettings(new WalWriter.Options(options.segmentBytes(), options.writeBufferBytes(),
                options.preallocate(), fsync, options.metadata()), handOff);
    }

    /** Writes this metadata (node and cluster ID) instead of the one in the stream. */
    public WalSinkSettings withMetadata(WalMetadata metadata) {
        return new WalSinkSettings(new WalWriter.Options(options.segmentBytes(), options.writeBufferBytes(),
                options.preallocate(), options.fsync(), Optional.of(metadata)), handOff);
    }

    /**
     * Hands each segment to {@code handOff} as soon as it closes, instead of keeping it for the directory (which then
     * ends up empty): how a sink that ships a WAL away segment by segment keeps one segment on disk.
     */
    public WalSinkSettings withSegmentHandOff(WalWriter.SegmentHandOff handOff) {
        return new WalSinkSettings(options, Optional.of(handOff));
    }

    public Optional<WalWriter.SegmentHandOff> segmentHandOff() {
        return handOff;
    }

    public long segmentSize() {
        return options.segmentBytes();
    }

    public boolean preallocate() {
        return options.preallocate();
    }

    public boolean fsync() {
        return options.fsync();
    }

    public Optional<WalMetadata> metadata() {
        return options.metadata();
    }

    WalWriter.Options toWriterOptions() {
        return options;
    }

    @Override
    public String toString() {
        return "WalSinkSettings(" + options + ")";
    }
}
