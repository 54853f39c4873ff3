package dev.raftpipe.stages;

import java.util.OptionalLong;

/**
 * The revision after each of the last {@value #SIZE} applied entries, by index, in a fixed ring (1 MiB): enough for a
 * snapshot record that etcd writes some way after its entry, bounded whatever the WAL's length.
 */
final class RecentRevisions {
    static final int SIZE = 1 << 16;
    private final long[] indexes = new long[SIZE];
    private final long[] revisions = new long[SIZE];

    /** Entries {@code first}, {@code first + 1}, … ended at {@code after[0]}, {@code after[1]}, … */
    void add(long first, long[] after) {
        for (int i = 0; i < after.length; i++) {
            int slot = (int) Math.floorMod(first + i, (long) SIZE);
            indexes[slot] = first + i;
            revisions[slot] = after[i];
        }
    }

    OptionalLong at(long index) {
        int slot = (int) Math.floorMod(index, (long) SIZE);
        return indexes[slot] == index && index > 0 ? OptionalLong.of(revisions[slot]) : OptionalLong.empty();
    }
}
