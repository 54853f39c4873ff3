package dev.raftpipe.codecs.archive;

import java.util.List;

/** The names an archive may hold, in the order they are written. */
public final class ArchiveEntries {
    public static final String META = "meta.json";
    public static final String STATE = "state.bin";
    public static final String SUMS = "SHA256SUMS";
    public static final String SEALED = "SHA256SUMS.sealed";
    public static final List<String> ALL = List.of(META, STATE, SUMS, SEALED);

    private ArchiveEntries() {
    }
}
