package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.state.Revision;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.internal.ExternalSort;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The live keys of a db in key order: for each key its newest stored revision, unless that is a tombstone,
 * as etcd serves them (an empty key never is). The bucket is in revision order, so its entries go through an {@link ExternalSort}
 * (bounded memory, temp runs removed on close).
 */
public final class LiveState implements Closeable {
    private final ExternalSort<IndexedRevision> sort;

    private LiveState(ExternalSort<IndexedRevision> sort) {
        this.sort = sort;
    }

    public static LiveState of(EtcdDb db, DbReadOptions options) throws IOException {
        ExternalSort<IndexedRevision> sort = new ExternalSort<>(IndexedRevision.KEY_ORDER, IndexedRevision.CODEC,
                options.sortMemoryBytes(), options.tempDir());
        try {
            for (BoltEntry e : db.entries(EtcdDb.KEY)) {
                Revision rev = EtcdDb.keyRevisionOf(e);
                StateRecord.KeyValue kv = EtcdValues.keyValue(e.value(), rev);
                sort.add(new IndexedRevision(kv.key(), rev.main(), rev.sub(), Revision.isTombstone(e.key()), e.value()));
            }
            LiveState live = new LiveState(sort);
            sort = null;
            return live;
        } finally {
            if (sort != null) {
                sort.close();
            }
        }
    }

    /** Revisions stored in the {@code key} bucket. */
    public long storedRevisions() {
        return sort.count();
    }

    /** Sorted runs spilled to disk (0 when the bucket fit in the sort's memory). */
    public int spilledRuns() {
        return sort.spilledRuns();
    }

    /** The live keys, each once, in key order; call once. */
    public Iterator<StateRecord.KeyValue> keys() throws IOException {
        Iterator<IndexedRevision> sorted = sort.sorted();
        return new Iterator<>() {
            private IndexedRevision pending = sorted.hasNext() ? sorted.next() : null;
            private StateRecord.KeyValue next = advance();

            private StateRecord.KeyValue advance() {
                while (pending != null) {
                    IndexedRevision newest = pending;
                    pending = null;
                    while (sorted.hasNext()) {
                        IndexedRevision r = sorted.next();
                        if (Arrays.equals(r.key(), newest.key())) {
                            newest = r;
                        } else {
                            pending = r;
                            break;
                        }
                    }
                    // an empty key is a revision placeholder (etcdutl's bump, a redacted backup's): etcd keeps it
                    // in its index, but no range can name it, so it is never served
                    if (!newest.tombstone() && newest.key().length > 0) {
                        return EtcdValues.keyValue(newest.value(), newest.revision());
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public StateRecord.KeyValue next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                StateRecord.KeyValue out = next;
                next = advance();
                return out;
            }
        };
    }

    @Override
    public void close() throws IOException {
        sort.close();
    }
}
