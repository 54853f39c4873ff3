package dev.raftpipe.stages;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.wal.WalReader;

/** Settings of {@link WalSource}; defaults under {@code raftpipe.wal-source} in reference.conf. */
public final class WalSourceSettings {
    private final int readBufferSize;
    private final int maxRecordSize;
    private final int batchRecords;
    private final long batchBytes;

    private WalSourceSettings(int readBufferSize, int maxRecordSize, int batchRecords, long batchBytes) {
        if (batchRecords < 1 || batchBytes < 1) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
        this.readBufferSize = readBufferSize;
        this.maxRecordSize = maxRecordSize;
        this.batchRecords = batchRecords;
        this.batchBytes = batchBytes;
        toReaderOptions(); // validates
    }

    public static WalSourceSettings create() {
        return create(ConfigFactory.load());
    }

    /** The settings of the actor system's configuration (its {@code reference.conf} and {@code application.conf}). */
    public static WalSourceSettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    /** Reads {@code raftpipe.wal-source} from a full config. */
    public static WalSourceSettings create(Config config) {
        Config c = config.getConfig("raftpipe.wal-source");
        return new WalSourceSettings(Math.toIntExact(c.getBytes("read-buffer-size")),
                Math.toIntExact(c.getBytes("max-record-size")), c.getInt("batch-records"),
                c.getBytes("batch-bytes"));
    }

    public WalSourceSettings withReadBufferSize(int bytes) {
        return new WalSourceSettings(bytes, maxRecordSize, batchRecords, batchBytes);
    }

    public WalSourceSettings withMaxRecordSize(int bytes) {
        return new WalSourceSettings(readBufferSize, bytes, batchRecords, batchBytes);
    }

    /** At most this many records cross from the reader to the stream at once. */
    public WalSourceSettings withBatchRecords(int records) {
        return new WalSourceSettings(readBufferSize, maxRecordSize, records, batchBytes);
    }

    /** A batch closes once its entries hold this many bytes of data. */
    public WalSourceSettings withBatchBytes(long bytes) {
        return new WalSourceSettings(readBufferSize, maxRecordSize, batchRecords, bytes);
    }

    public int batchRecords() {
        return batchRecords;
    }

    public long batchBytes() {
        return batchBytes;
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
        return "WalSourceSettings(readBufferSize=" + readBufferSize + ", maxRecordSize=" + maxRecordSize
                + ", batchRecords=" + batchRecords + ", batchBytes=" + batchBytes + ")";
    }
}
