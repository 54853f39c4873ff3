package dev.raftpipe.codecs.wal;

import dev.raftpipe.codecs.io.Durable;
import dev.raftpipe.codecs.io.FileErrors;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.internal.Crc32cChain;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.raft.WalSnapshot;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a WAL directory the way etcd does: each segment opens with a crc record carrying the
 * running CRC, then the metadata record (and, in later segments, the current HardState); the first
 * segment also holds the empty snapshot marker etcd's {@code wal.Create} writes. A segment is cut after
 * the record that crosses the segment size and named after the next entry's index. Everything goes
 * into a sibling temporary directory that is renamed onto the target only by {@link #commit()}.
 */
public final class WalWriter implements Closeable {

    /**
     * @param segmentBytes cut a segment once it holds this many bytes (etcd: 64,000,000)
     * @param preallocate  extend the last segment to {@code segmentBytes} with zeros, as etcd does
     * @param fsync        fsync segments and directories (off only for throwaway output)
     * @param metadata     metadata to write instead of the stream's own (a backup with fresh IDs)
     */
    public record Options(long segmentBytes, int writeBufferBytes, boolean preallocate, boolean fsync,
                          Optional<WalMetadata> metadata) {
        public static final Options DEFAULTS = new Options(64_000_000L, 1 << 20, true, true, Optional.empty());

        public Options {
            if (segmentBytes < 1024) {
                throw new IllegalArgumentException("segment size must be at least 1024 bytes");
            }
            metadata = metadata == null ? Optional.empty() : metadata;
        }
    }


    /**
     * Takes each segment as soon as it is closed (and fsynced, if the writer fsyncs), in order: from then on the
     * receiver owns the file (it moves or removes it), so a consumer that ships segments away as they close keeps
     * one on disk at a time.
     */
    @FunctionalInterface
    public interface SegmentHandOff {
        void take(WalSegment closed) throws IOException;
    }

    private final Path target;
    private final Path tempDir;
    private final Options options;
    private final Optional<SegmentHandOff> handOff;
    private final Crc32cChain crc = new Crc32cChain();
    private final ByteBuffer out;
    private final List<String> segmentNames = new ArrayList<>();
    private final Map<RecordType, Long> counts = new EnumMap<>(RecordType.class);

    private WalMetadata metadata;
    private HardState lastState = HardState.EMPTY;
    private long lastEntryIndex;
    private boolean firstSnapshotPending = true;
    private FileChannel segment;
    private WalSegment current;
    private long segmentOffset;
    private long bytesWritten;
    private boolean closed;

    private WalWriter(Path target, Path tempDir, Options options, Optional<SegmentHandOff> handOff) {
        this.target = target;
        this.tempDir = tempDir;
        this.options = options;
        this.handOff = handOff;
        this.out = ByteBuffer.allocate(options.writeBufferBytes()).order(ByteOrder.LITTLE_ENDIAN);
        this.metadata = options.metadata().orElse(null);
    }

    /** Starts a WAL that will appear at {@code walDir}, which must not exist or be empty. */
    public static WalWriter create(Path walDir, Options options) throws IOException {
        return create(walDir, options, Optional.empty());
    }

    /** Starts a WAL whose segments go to {@code handOff} as they close; {@code walDir} then ends up empty. */
    public static WalWriter create(Path walDir, Options options, Optional<SegmentHandOff> handOff)
            throws IOException {
        Path target = walDir.toAbsolutePath().normalize();
        requireEmptyOrAbsent(target);
        PrivateFiles.createDirectories(target.getParent());
        Path temp = TempOutput.beside(target);
        PrivateFiles.createDirectory(temp);
        return new WalWriter(target, temp, options, handOff);
    }

    public void write(WalRecord record) throws IOException {
        try {
            writeRecord(record);
        } catch (IOException e) {
            throw FileErrors.naming(segmentNames.isEmpty() ? tempDir
                    : tempDir.resolve(segmentNames.get(segmentNames.size() - 1)), e);
        }
    }

    private void writeRecord(WalRecord record) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
        // Incoming crc records describe the source's segments; the writer frames its own chain.
        if (record instanceof WalRecord.MetadataRecord m) {
            acceptMetadata(m.metadata());
        } else if (record instanceof WalRecord.SnapshotRecord s) {
            boolean isCreateMarker = firstSnapshotPending && s.snapshot().equals(WalSnapshot.ZERO);
            ensureSegment();
            if (!isCreateMarker) {
                append(record);
            }
        } else if (record instanceof WalRecord.EntryRecord e) {
            ensureSegment();
            append(record);
            lastEntryIndex = e.entry().index();
        } else if (record instanceof WalRecord.StateRecord s) {
            ensureSegment();
            append(record);
            lastState = s.state();
        }
        if (segment != null && segmentOffset >= options.segmentBytes()) {
            cut();
        }
    }

    /** Finishes the last segment, fsyncs, and renames the directory into place. */
    public WalWriteSummary commit() throws IOException {
        ensureSegment();
        finishSegment(true);
        if (options.fsync()) {
            Durable.forceDirectory(tempDir);
        }
        requireEmptyOrAbsent(target);
        Files.deleteIfExists(target);
        Files.move(tempDir, target, StandardCopyOption.ATOMIC_MOVE);
        if (options.fsync()) {
            Durable.forceDirectory(target.getParent());
        }
        closed = true;
        return new WalWriteSummary(target, segmentNames, counts, bytesWritten, lastEntryIndex, lastState);
    }

    /** Drops everything written; the target is left as it was. */
    public void abort() throws IOException {
        closed = true;
        if (segment != null) {
            segment.close();
            segment = null;
        }
        FileTrees.delete(tempDir);
    }

    /** Aborts unless committed. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            abort();
        }
    }

    private void acceptMetadata(WalMetadata m) {
        if (options.metadata().isPresent()) {
            return;
        }
        if (metadata != null && !metadata.equals(m)) {
            throw new IllegalArgumentException("metadata conflict: the stream carries " + m
                    + " after " + metadata);
        }
        metadata = m;
    }

    private void ensureSegment() throws IOException {
        if (segment != null) {
            return;
        }
        if (metadata == null) {
            throw new IllegalStateException("no metadata record before the first record to write; "
                    + "give the writer metadata in its options");
        }
        openSegment(0, 0);
        append(new WalRecord.SnapshotRecord(WalSnapshot.ZERO));
        firstSnapshotPending = false;
    }

    private void openSegment(long seq, long index) throws IOException {
        String name = WalSegment.fileName(seq, index);
        current = new WalSegment(tempDir.resolve(name), seq, index);
        segment = PrivateFiles.channel(current.path(), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        segmentNames.add(name);
        segmentOffset = 0;
        appendFrame(RecordType.CRC, crc.value(), null);
        append(new WalRecord.MetadataRecord(metadata));
    }

    private void cut() throws IOException {
        finishSegment(false);
        openSegment(segmentNames.size(), lastEntryIndex + 1);
        if (!lastState.isEmpty()) {
            append(new WalRecord.StateRecord(lastState));
        }
    }

    private void append(WalRecord record) throws IOException {
        byte[] data = WalRecordCodec.data(record);
        crc.update(data, 0, data.length);
        appendFrame(record.type(), crc.value(), data);
    }

    private void appendFrame(RecordType type, int recordCrc, byte[] data) throws IOException {
        byte[] rec = WalRecordCodec.encodeRecord(type, recordCrc, data);
        int pad = WalRecordCodec.padding(rec.length);
        int frame = 8 + rec.length + pad;
        if (out.remaining() < frame) {
            flush();
        }
        if (out.remaining() < frame) {
            ByteBuffer big = ByteBuffer.allocate(frame).order(ByteOrder.LITTLE_ENDIAN);
            big.putLong(WalRecordCodec.lengthWord(rec.length)).put(rec).put(new byte[pad]).flip();
            writeFully(big);
        } else {
            out.putLong(WalRecordCodec.lengthWord(rec.length)).put(rec);
            for (int i = 0; i < pad; i++) {
                out.put((byte) 0);
            }
        }
        segmentOffset += frame;
        bytesWritten += frame;
        counts.merge(type, 1L, Long::sum);
    }

    private void flush() throws IOException {
        out.flip();
        writeFully(out);
        out.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            segment.write(b);
        }
    }

    private void finishSegment(boolean last) throws IOException {
        flush();
        if (last && options.preallocate() && segmentOffset < options.segmentBytes()) {
            // etcd preallocates the segment it appends to; zeros past the last record end it.
            segment.write(ByteBuffer.wrap(new byte[] {0}), options.segmentBytes() - 1);
        }
        if (options.fsync()) {
            segment.force(true);
        }
        segment.close();
        segment = null;
        if (handOff.isPresent()) {
            handOff.get().take(current);
        }
    }

    private static void requireEmptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            if (s.iterator().hasNext()) {
                throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not empty");
            }
        }
    }

}
