package dev.raftpipe.codecs.bolt;

import java.util.BitSet;

/** The pages a walk has reached: one bit a page, so a cycle or a shared page is caught, not followed. */
public final class PageVisits {
    private final BitSet seen = new BitSet();
    private long pages;

    void mark(long id, long overflow, long offset) {
        if (id + overflow >= Integer.MAX_VALUE) {
            throw new BoltCorruptedException(id, offset, "page id beyond what a reader can track");
        }
        for (long p = id; p <= id + overflow; p++) {
            if (seen.get((int) p)) {
                throw new BoltCorruptedException(id, offset, "page " + p + " is reached twice (a cycle or a shared page)");
            }
            seen.set((int) p);
        }
        pages += overflow + 1;
    }

    /** Pages reached so far, overflow pages included. */
    public long pages() {
        return pages;
    }
}
