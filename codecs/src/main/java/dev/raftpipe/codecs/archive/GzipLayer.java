package dev.raftpipe.codecs.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * The archive's gzip layer with one fixed header (no name, mtime 0, OS unknown). gzip leaves its
 * header fields outside the CRC; insisting on this exact header means no header byte can change unnoticed.
 * The deflate body is checked by what it inflates to (CRC-32, length, then every entry's digest): deflate
 * can encode the same bytes more than one way (a back-reference into a run of zeros may name another
 * distance), and such a change alters nothing the archive holds.
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
        return new Member(in);
    }

    /**
     * One gzip member's body, its trailer checked, and then the end of the file: the JDK's GZIPInputStream reads on
     * into a second member and silently drops junk after the trailer, which would leave bytes no check covers.
     */
    private static final class Member extends InputStream {
        private final PushbackInputStream in;
        private final Inflater inflater = new Inflater(true);
        private final CRC32 crc = new CRC32();
        private final byte[] input = new byte[1 << 16];
        private long size;
        private int inflated; // bytes of input last handed to the inflater
        private boolean done;

        Member(InputStream in) {
            this.in = new PushbackInputStream(in, 1 << 16);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!done) {
                int n;
                try {
                    n = inflater.inflate(b, off, len);
                } catch (DataFormatException e) {
                    throw new IOException("bad deflate data: " + e.getMessage(), e);
                }
                if (n > 0) {
                    crc.update(b, off, n);
                    size += n;
                    return n;
                }
                if (inflater.finished()) {
                    finish();
                } else if (inflater.needsInput()) {
                    int got = in.read(input, 0, input.length);
                    if (got < 0) {
                        throw new IOException("unexpected end of the gzip stream");
                    }
                    inflated = got;
                    inflater.setInput(input, 0, got);
                } else if (inflater.needsDictionary()) {
                    throw new IOException("the deflate stream asks for a dictionary");
                }
            }
            return -1;
        }

        private void finish() throws IOException {
            int left = inflater.getRemaining();
            if (left > 0) {
                in.unread(input, inflated - left, left);
            }
            byte[] trailer = in.readNBytes(8);
            if (trailer.length < 8) {
                throw new IOException("the gzip trailer is cut short");
            }
            long expectCrc = (trailer[0] & 0xffL) | (trailer[1] & 0xffL) << 8 | (trailer[2] & 0xffL) << 16
                    | (trailer[3] & 0xffL) << 24;
            long expectSize = (trailer[4] & 0xffL) | (trailer[5] & 0xffL) << 8 | (trailer[6] & 0xffL) << 16
                    | (trailer[7] & 0xffL) << 24;
            if (expectCrc != crc.getValue() || expectSize != (size & 0xffffffffL)) {
                throw new IOException("the gzip trailer's CRC-32 or length does not match the data");
            }
            if (in.read() >= 0) {
                throw new ArchiveVerificationException("the archive has bytes after its gzip trailer");
            }
            done = true;
            inflater.end();
        }
    }
}
