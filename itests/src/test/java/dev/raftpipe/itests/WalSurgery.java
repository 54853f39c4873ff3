package dev.raftpipe.itests;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Damage done to WAL files on purpose, at the places their framing says: records, segments, byte patches. */
final class WalSurgery {
    private WalSurgery() {
    }

    /** A record's frame: where its length word starts, its length, and its type byte (the first protobuf field). */
    record Frame(long offset, long recordBytes, int type) {
    }

    /** The records of a segment, read from their framing (length word with padding, then type, crc and data). */
    static List<Frame> frames(Path segment) throws Exception {
        byte[] b = Files.readAllBytes(segment);
        List<Frame> frames = new ArrayList<>();
        int off = 0;
        while (off + 8 <= b.length) {
            long word = ByteBuffer.wrap(b, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (word == 0) {
                break;
            }
            long record = word & 0x00ffffffffffffffL;
            long pad = word < 0 ? (word >>> 56) & 0x7 : 0;
            frames.add(new Frame(off, record, b[off + 9]));
            off += (int) (8 + record + pad);
        }
        return frames;
    }

    /** The segment files of a WAL dir, in name (= log) order. */
    static List<Path> segments(Path wal) throws Exception {
        try (Stream<Path> s = Files.list(wal)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
        }
    }

    static void patch(Path file, long at, byte value) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(value);
        }
    }

    static void patchXor(Path file, long at, byte mask) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int old = f.read();
            f.seek(at);
            f.write(old ^ mask);
        }
    }

    static void zero(Path file, long at, int length) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(new byte[length]);
        }
    }

    static void truncate(Path file, long length) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
    }
}
