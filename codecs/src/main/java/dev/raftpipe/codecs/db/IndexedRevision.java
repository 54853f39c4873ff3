package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.internal.ExternalSort;

import dev.raftpipe.codecs.state.Revision;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A stored revision keyed by the key it belongs to: what etcd's in-memory index holds, sorted by key then
 * revision. {@code value} is the raw {@code key}-bucket value when the caller needs it, else empty.
 */
record IndexedRevision(byte[] key, long main, long sub, boolean tombstone, byte[] value) {
    static final Comparator<IndexedRevision> KEY_ORDER = (a, b) -> {
        int c = Arrays.compareUnsigned(a.key, b.key);
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.main, b.main);
        return c != 0 ? c : Long.compare(a.sub, b.sub);
    };

    static final ExternalSort.Codec<IndexedRevision> CODEC = new ExternalSort.Codec<>() {
        @Override
        public void write(DataOutputStream out, IndexedRevision r) throws IOException {
            out.writeInt(r.key.length);
            out.write(r.key);
            out.writeLong(r.main);
            out.writeLong(r.sub);
            out.writeBoolean(r.tombstone);
            out.writeInt(r.value.length);
            out.write(r.value);
        }

        @Override
        public IndexedRevision read(DataInputStream in) throws IOException {
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            long main = in.readLong();
            long sub = in.readLong();
            boolean tombstone = in.readBoolean();
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            return new IndexedRevision(key, main, sub, tombstone, value);
        }

        @Override
        public long memoryBytes(IndexedRevision r) {
            return 64L + r.key.length + r.value.length;
        }
    };

    Revision revision() {
        return new Revision(main, sub);
    }
}
