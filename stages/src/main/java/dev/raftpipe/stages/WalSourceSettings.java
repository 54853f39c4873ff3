package dev.raftpipe.stages;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.wal.WalReader;

/** Settings of {@link WalSource}; defaults under {@code raftpipe.wal-source} in reference.conf. */
public final class WalSourceSettings {
    private final int readBufferSize;
    private final int maxRecordSize;

    private WalSourceSettings(int readBufferSize, int maxRecordSize) {
        this.readBufferSize = readBufferSize;
        this.maxRecordSize = maxRecordSize;
        toReaderOptions(); // validates
    }

    public static WalSourceSettings create() {
        return create(ConfigFactory.load());
    }

    /** Reads {@code raftpipe.wal-source} from a full config. */
    public static WalSourceSettings create(Config config) {
        Config c = config.getConfig("raftpipe.wal-source");
        return new WalSourceSettings(Math.toIntExact(c.getBytes("read-buffer-size")),
                Math.toIntExact(c.getBytes("max-record-size")));
    }

    public WalSourceSettings withReadBufferSize(int bytes) {
        return new WalSourceSettings(bytes, maxRecordSize);
    }

    public WalSourceSettings withMaxRecordSize(int bytes) {
        return new WalSourceSettings(readBufferSize, bytes);
    }

    public int readBufferSize() {
        return readBufferSize;
    }

    public int maxRecordSize() {
        return maxRecordSize;
    }

    WalReader.Options toReaderOptions() {
        return new WalReader.Options(readBufferSize, maxRecordSize);
    }

    @Override
    public String toString() {
        return "WalSourceSettings(readBufferSize=" + readBufferSize + ", maxRecordSize=" + maxRecordSize + ")";
    }
}
