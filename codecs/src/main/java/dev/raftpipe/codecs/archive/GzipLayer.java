package dev.raftpipe.codecs.archive;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;

/**
 * The archive's gzip layer with one fixed header (no name, mtime 0, OS unknown). gzip leaves its
 * header fields outside the CRC; insisting on this exact header means no byte of the file can change
 * unnoticed.
 */
final class GzipLayer {
    static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private GzipLayer() {
    }

    static OutputStream output(OutputStream sink, int level) throws IOException {
        sink.write(HEADER);
        CRC32 crc = new CRC32();
        Deflater deflater = new Deflater(level, true);
        DeflaterOutputStream body = new DeflaterOutputStream(new FilterOutputStream(sink) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sink.write(b, off, len);
            }

            @Override
            public void close() {
                // the trailer follows
            }
        }, deflater, 1 << 16);
        return new FilterOutputStream(body) {
            private long size;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                crc.update(b, off, len);
                size += len;
                body.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                body.finish();
                deflater.end();
                long c = crc.getValue();
                sink.write(new byte[]{(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                        (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
                sink.close();
            }
        };
    }

    static InputStream input(InputStream in) throws IOException {
        byte[] header = in.readNBytes(HEADER.length);
        if (!Arrays.equals(header, HEADER)) {
            throw new ArchiveVerificationException(header.length >= 2 && header[0] == 0x1f && header[1] == (byte) 0x8b
                    ? "the gzip header is not the one raftpipe writes: altered archive"
                    : "not a raftpipe archive (no gzip header)");
        }
        return new GZIPInputStream(new SequenceInputStream(new ByteArrayInputStream(header), in), 1 << 16);
    }
}
