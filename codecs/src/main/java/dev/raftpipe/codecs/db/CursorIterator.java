package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.bolt.BoltCursor;
import dev.raftpipe.codecs.bolt.BoltEntry;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** A bucket cursor as an iterator of decoded values; a missing bucket ({@code null}) is empty. */
final class CursorIterator<T> implements Iterator<T> {
    private final BoltCursor cursor;
    private final Function<BoltEntry, T> decode;
    private BoltEntry next;

    CursorIterator(BoltCursor cursor, Function<BoltEntry, T> decode) {
        this.cursor = cursor;
        this.decode = decode;
        this.next = cursor == null ? null : cursor.next();
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public T next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        BoltEntry e = next;
        next = cursor.next();
        return decode.apply(e);
    }
}
