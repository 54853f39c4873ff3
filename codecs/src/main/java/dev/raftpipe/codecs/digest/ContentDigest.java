package dev.raftpipe.codecs.digest;

import dev.raftpipe.codecs.state.StateDigest;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.raft.Entry;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * A digest of content, element by element, in one fixed length-prefixed form that does not depend on how the
 * content was stored: an entry as its index, term, type and data (so two WALs with the same effective entries
 * digest the same, whatever their segments, CRC records or superseded entries); a state record as the archive's
 * content checksum feeds it ({@link StateDigest}); a key revision as its revision, tombstone flag and key-value.
 * Not thread-safe.
 */
public final class ContentDigest {
    /** The algorithms: SHA-256 to trust content, CRC-32C to compare it fast (the archive's content checksum). */
    public enum Algorithm {
        SHA_256("sha-256"), CRC32C("crc32c");

        private final String label;

        Algorithm(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Algorithm of(String label) {
            for (Algorithm a : values()) {
                if (a.label.equals(label)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown digest algorithm " + label + " (sha-256, crc32c)");
        }
    }

    /** A finished digest: how many elements and canonical bytes went in. */
    public record Digest(String algorithm, String hex, long elements, long bytes) {
    }

    private final Algorithm algorithm;
    private final Checksum sink;
    private final MessageDigest sha;
    private long elements;
    private long bytes;

    public ContentDigest(Algorithm algorithm) {
        this.algorithm = algorithm;
        this.sha = algorithm == Algorithm.SHA_256 ? sha256() : null;
        Checksum counted = algorithm == Algorithm.SHA_256 ? new ShaChecksum(sha) : new CRC32C();
        this.sink = new Checksum() {
            @Override
            public void update(int b) {
                counted.update(b);
                bytes++;
            }

            @Override
            public void update(byte[] b, int off, int len) {
                counted.update(b, off, len);
                bytes += len;
            }

            @Override
            public long getValue() {
                return counted.getValue();
            }

            @Override
            public void reset() {
                counted.reset();
            }
        };
    }

    public void entry(Entry e) {
        ByteBuffer head = ByteBuffer.allocate(32).putLong(e.index()).putLong(e.term()).putLong(e.type().wireValue())
                .putLong(e.data().length);
        sink.update(head.array(), 0, head.capacity());
        sink.update(e.data(), 0, e.data().length);
        elements++;
    }

    public void state(StateRecord r) {
        StateDigest.update(sink, r);
        elements++;
    }

    public void keyRevision(KeyRevision r) {
        ByteBuffer head = ByteBuffer.allocate(24).putLong(r.revision().main()).putLong(r.revision().sub())
                .putLong(r.tombstone() ? 1 : 0);
        sink.update(head.array(), 0, head.capacity());
        StateDigest.update(sink, r.kv());
        elements++;
    }

    public Digest finish() {
        String hex = sha != null ? HexFormat.of().formatHex(sha.digest())
                : String.format("%08x", sink.getValue());
        return new Digest(algorithm.label(), hex, elements, bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message digest seen as a Checksum, so the canonical forms feed either kind. */
    private record ShaChecksum(MessageDigest md) implements Checksum {
        @Override
        public void update(int b) {
            md.update((byte) b);
        }

        @Override
        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        public long getValue() {
            throw new UnsupportedOperationException("a SHA-256 digest is read with finish()");
        }

        @Override
        public void reset() {
            md.reset();
        }
    }
}
