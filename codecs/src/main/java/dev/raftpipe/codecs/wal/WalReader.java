package dev.raftpipe.codecs.wal;

import dev.raftpipe.codecs.internal.Crc32cChain;
import dev.raftpipe.codecs.MalformedMessageException;
import dev.raftpipe.codecs.internal.WireReader;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryCodec;
import dev.raftpipe.codecs.raft.RaftMessages;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a WAL directory record by record, exactly as etcd's decoder does: 8-byte length words with
 * padding bits, a zero word or end of file closing a segment, the CRC-32C chain continued across
 * segments, and etcd's torn-write rule for the last record of the last segment. Memory holds one read
 * buffer and at most one record, whatever the segment size.
 */
public final class WalReader implements Closeable {
    /** etcd's smallest disk sector: a torn write leaves whole sectors of zeros. */
    private static final int SECTOR = 512;
    private static final long LENGTH_MASK = 0x00FF_FFFF_FFFF_FFFFL;

    /** Read tuning; both bound memory, neither changes what is read. */
    public record Options(int readBufferBytes, int maxRecordBytes) {
        public static final Options DEFAULTS = new Options(1 << 20, 10 << 20);

        public Options {
            if (readBufferBytes < 4096) {
                throw new IllegalArgumentException("read buffer must be at least 4096 bytes");
            }
            if (maxRecordBytes < 64) {
                throw new IllegalArgumentException("max record size must be at least 64 bytes");
            }
        }
    }

    private final List<WalSegment> segments;
    private final Options options;
    private final Crc32cChain crc = new Crc32cChain();
    private final Map<RecordType, Long> counts = new EnumMap<>(RecordType.class);
    private final List<String> segmentsRead = new ArrayList<>();

    private int segmentIndex = -1;
    private FileChannel channel;
    private long fileSize;
    private ByteBuffer buf;
    /** File offset of buf[0]. */
    private long bufStart;
    private long bytesRead;
    private byte[] metadataBytes;
    private WalMetadata metadata;
    private TornTail tornTail;
    private boolean finished;

    private WalReader(List<WalSegment> segments, Options options) {
        this.segments = segments;
        this.options = options;
        this.buf = ByteBuffer.allocate(options.readBufferBytes()).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static WalReader open(Path walDir, Options options) throws IOException {
        return new WalReader(WalSegment.list(walDir), options);
    }

    public static WalReader open(List<WalSegment> segments, Options options) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segments to read");
        }
        return new WalReader(List.copyOf(segments), options);
    }

    /**
     * Where a read stopped, to go on in the next segment with another reader: the running CRC its crc record must
     * carry and the metadata its metadata record must repeat.
     */
    public record Chain(int runningCrc, byte[] metadata) {
    }

    /**
     * Reads segments that follow those another reader read (a WAL that arrives segment by segment), holding them
     * to the same chain: their crc record must carry {@code after}'s running CRC, their metadata equal its own.
     */
    public static WalReader continuing(List<WalSegment> segments, Options options, Chain after) {
        WalReader r = open(segments, options);
        r.crc.reset(after.runningCrc());
        r.metadataBytes = after.metadata().clone();
        try {
            r.metadata = WalMetadata.decode(r.metadataBytes);
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException("not a chain a reader returned: " + e.getMessage(), e);
        }
        return r;
    }

    /** The chain so far, for {@link #continuing}; empty before a metadata record was read. */
    public Optional<Chain> chain() {
        return metadataBytes == null ? Optional.empty() : Optional.of(new Chain(crc.value(), metadataBytes.clone()));
    }

    /** The segments this reader walks, in order. */
    public List<WalSegment> segments() {
        return segments;
    }

    /** Returns the next record, or {@code null} at the end of the log. */
    public WalRecord next() throws IOException {
        while (!finished) {
            if (channel == null && !openNextSegment()) {
                finished = true;
                if (metadata == null) {
                    // etcd starts every segment with its metadata: a WAL without any lost its start
                    throw new WalCorruptedException(segments.get(0).path(), 0, "the WAL holds no metadata record "
                            + "(an empty or zeroed first segment)");
                }
                return null;
            }
            WalRecord r = readRecord();
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    public WalReadSummary summary() {
        return new WalReadSummary(segmentsRead, counts, bytesRead, Optional.ofNullable(metadata),
                Optional.ofNullable(tornTail));
    }

    @Override
    public void close() throws IOException {
        finished = true;
        closeSegment();
    }

    private boolean openNextSegment() throws IOException {
        if (segmentIndex + 1 >= segments.size()) {
            return false;
        }
        segmentIndex++;
        WalSegment seg = segments.get(segmentIndex);
        channel = FileChannel.open(seg.path(), StandardOpenOption.READ);
        fileSize = channel.size();
        bufStart = 0;
        buf.clear().limit(0);
        segmentsRead.add(seg.name());
        return true;
    }

    private void closeSegment() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private boolean lastSegment() {
        return segmentIndex == segments.size() - 1;
    }

    private Path segmentPath() {
        return segments.get(segmentIndex).path();
    }

    /** Reads one record of the current segment; {@code null} when the segment ended instead. */
    private WalRecord readRecord() throws IOException {
        long offset = bufStart + buf.position();
        int avail = ensure(8);
        if (avail == 0) {
            endSegment(offset);
            return null;
        }
        if (avail < 8) {
            return tornOrCorrupt(offset, fileSize - offset - 8, "length word cut short by end of file");
        }
        long lengthWord = buf.getLong(buf.position());
        if (lengthWord == 0) {
            endSegment(offset);
            return null;
        }
        long recordBytes = lengthWord & LENGTH_MASK;
        long padBytes = lengthWord < 0 ? (lengthWord >>> 56) & 0x7 : 0;
        long frameBytes = recordBytes + padBytes;
        // before the torn-write rule, as etcd's decoder checks it: a flipped length bit is damage, not a torn tail
        if (recordBytes > options.maxRecordBytes()) {
            throw corrupt(offset, "record length " + recordBytes + " exceeds the limit of "
                    + options.maxRecordBytes() + " bytes");
        }
        if (frameBytes > fileSize - offset - 8) {
            return tornOrCorrupt(offset, fileSize - offset - 8, "record of " + recordBytes
                    + " bytes runs past the end of the segment");
        }
        ensure(8 + (int) frameBytes);
        int start = buf.position() + 8;
        byte[] array = buf.array();
        WalRecord record;
        try {
            record = decode(array, start, (int) recordBytes, offset);
        } catch (MalformedMessageException e) {
            return tornOrCorrupt(offset, frameBytes, e.getMessage());
        }
        if (record == null) {
            return tornOrCorrupt(offset, frameBytes, "CRC mismatch");
        }
        buf.position(start + (int) frameBytes);
        counts.merge(record.type(), 1L, Long::sum);
        return record;
    }

    private WalRecord decode(byte[] array, int start, int length, long offset)
            throws MalformedMessageException {
        WireReader in = new WireReader(array, start, length);
        long type = 0;
        long recordCrc = 0;
        int dataStart = start;
        int dataLength = 0;
        int[] len = new int[1];
        while (!in.atEnd()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    in.expectWireType(tag, WireReader.VARINT);
                    type = in.readVarint();
                }
                case 2 -> {
                    in.expectWireType(tag, WireReader.VARINT);
                    recordCrc = in.readVarint() & 0xFFFF_FFFFL;
                }
                case 3 -> {
                    in.expectWireType(tag, WireReader.LENGTH_DELIMITED);
                    dataStart = in.readLengthDelimited(len);
                    dataLength = len[0];
                }
                default -> in.skipField(tag);
            }
        }
        RecordType recordType = RecordType.fromWire(type);
        if (recordType == RecordType.CRC) {
            int running = crc.value();
            // etcd compares only when the chain is already running; a fresh reader adopts the value.
            if (running != 0 && (int) recordCrc != running) {
                throw corrupt(offset, String.format("CRC chain broken at segment start: record says %08x, "
                        + "running value is %08x", recordCrc, running));
            }
            crc.reset((int) recordCrc);
            return new WalRecord.CrcRecord((int) recordCrc);
        }
        crc.update(array, dataStart, dataLength);
        if ((int) recordCrc != crc.value()) {
            return null;
        }
        if (recordType == null) {
            throw corrupt(offset, "unknown record type " + type);
        }
        try {
            return switch (recordType) {
                case ENTRY -> entryRecord(EntryCodec.decode(array, dataStart, dataLength), offset);
                case STATE -> new WalRecord.StateRecord(
                        RaftMessages.decodeHardState(Arrays.copyOfRange(array, dataStart, dataStart + dataLength)));
                case SNAPSHOT -> new WalRecord.SnapshotRecord(
                        RaftMessages.decodeWalSnapshot(Arrays.copyOfRange(array, dataStart, dataStart + dataLength)));
                case METADATA -> metadataRecord(Arrays.copyOfRange(array, dataStart, dataStart + dataLength), offset);
                case CRC -> throw new IllegalStateException("handled above");
            };
        } catch (MalformedMessageException e) {
            // The CRC held, so these are the bytes etcd wrote: not a torn write but data etcd cannot read.
            throw corrupt(offset, recordType.label() + " record: " + e.getMessage());
        }
    }

    /** Terms and indexes are uint64 in raft but never reach 2^63: one that does was decoded from other bytes. */
    private WalRecord entryRecord(Entry e, long offset) {
        if (e.term() < 0 || e.index() < 0) {
            throw corrupt(offset, "entry record with the impossible term " + Long.toUnsignedString(e.term())
                    + " or index " + Long.toUnsignedString(e.index()) + " (a record of another type, its type byte changed?)");
        }
        return new WalRecord.EntryRecord(e);
    }

    private WalRecord metadataRecord(byte[] data, long offset) throws MalformedMessageException {
        if (metadataBytes != null && !Arrays.equals(metadataBytes, data)) {
            throw corrupt(offset, "metadata conflict: this metadata record differs from the first one");
        }
        if (metadataBytes == null) {
            metadataBytes = data;
            metadata = WalMetadata.decode(data);
        }
        return new WalRecord.MetadataRecord(metadata);
    }

    /**
     * etcd's rule: in the last segment, a record that fails to read is a torn write if any 512-byte
     * sector of it is all zeros. We also require that nothing but zeros follows it, so a bad record in
     * the middle of the last segment is never mistaken for the end of the log.
     */
    private WalRecord tornOrCorrupt(long offset, long frameBytes, String reason) throws IOException {
        if (!lastSegment()) {
            throw corrupt(offset, reason);
        }
        long dataStart = offset + 8;
        long frameEnd = Math.min(fileSize, dataStart + Math.max(0, frameBytes));
        boolean shortRead = frameBytes >= fileSize - dataStart;
        if (!(shortRead || hasZeroSector(dataStart, frameEnd)) || !allZero(frameEnd, fileSize)) {
            throw corrupt(offset, reason);
        }
        tornTail = new TornTail(segments.get(segmentIndex).name(), offset, reason);
        bytesRead += offset;
        finished = true;
        closeSegment();
        return null;
    }

    private boolean hasZeroSector(long from, long to) throws IOException {
        long pos = from;
        while (pos < to) {
            long end = Math.min(to, (pos / SECTOR + 1) * SECTOR);
            if (allZero(pos, end)) {
                return true;
            }
            pos = end;
        }
        return false;
    }

    private boolean allZero(long from, long to) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos < to) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), to - pos));
            int n = channel.read(scratch, pos);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (scratch.get(i) != 0) {
                    return false;
                }
            }
            pos += n;
        }
        return true;
    }

    private void endSegment(long offset) throws IOException {
        bytesRead += offset;
        closeSegment();
    }

    private WalCorruptedException corrupt(long offset, String reason) {
        return new WalCorruptedException(segmentPath(), offset, reason);
    }

    /**
     * Makes at least {@code n} bytes available from the buffer position, reading more of the segment
     * as needed (and growing the buffer for a record larger than it). Returns how many are available,
     * which is less than {@code n} only at end of file.
     */
    private int ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return buf.remaining();
        }
        if (n > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            bufStart += buf.position();
            bigger.put(buf);
            buf = bigger;
        } else {
            bufStart += buf.position();
            buf.compact();
        }
        // buf is now in write mode holding the unread bytes at [0, position)
        while (buf.position() < n) {
            int read = channel.read(buf, bufStart + buf.position());
            if (read < 0) {
                break;
            }
        }
        buf.flip();
        if (buf.capacity() > options.readBufferBytes() && buf.remaining() <= options.readBufferBytes()) {
            // Give back a buffer grown for one large record.
            ByteBuffer normal = ByteBuffer.allocate(options.readBufferBytes()).order(ByteOrder.LITTLE_ENDIAN);
            normal.put(buf).flip();
            buf = normal;
        }
        return buf.remaining();
    }
}
