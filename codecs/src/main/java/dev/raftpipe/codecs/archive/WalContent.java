package dev.raftpipe.codecs.archive;

import dev.raftpipe.codecs.digest.ContentDigest;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalSegment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a WAL holds, read in one pass, as a WAL archive's meta.json states it: whose it is, its entries' range, last
 * term and content digest, its last hard state and its snapshot records' indexes. The writer describes a WAL with it;
 * the reader checks an extracted WAL against meta.json with it.
 *
 * @param metadata empty when no metadata record came first
 */
public record WalContent(Optional<WalMetadata> metadata, long firstIndex, long lastIndex, long lastTerm,
                         HardState hardState, List<Long> snapshotIndexes, ContentDigest.Digest digest) {
    public WalContent {
        snapshotIndexes = List.copyOf(snapshotIndexes);
    }

    public static WalContent read(List<WalSegment> segments) throws IOException {
        ContentDigest digest = new ContentDigest(ContentDigest.Algorithm.SHA_256);
        WalMetadata ids = null;
        long first = 0;
        long last = 0;
        long lastTerm = 0;
        HardState hard = HardState.EMPTY;
        List<Long> snapshots = new ArrayList<>();
        try (WalReader reader = WalReader.open(segments, WalReader.Options.DEFAULTS)) {
            for (WalRecord r = reader.next(); r != null; r = reader.next()) {
                if (r instanceof WalRecord.MetadataRecord m && ids == null) {
                    ids = m.metadata();
                } else if (r instanceof WalRecord.EntryRecord e) {
                    digest.entry(e.entry());
                    first = first == 0 ? e.entry().index() : first;
                    last = e.entry().index();
                    lastTerm = e.entry().term();
                } else if (r instanceof WalRecord.StateRecord s) {
                    hard = s.state();
                } else if (r instanceof WalRecord.SnapshotRecord s) {
                    snapshots.add(s.snapshot().index());
                }
            }
        }
        return new WalContent(Optional.ofNullable(ids), first, last, lastTerm, hard, snapshots, digest.finish());
    }

    /** The digest as meta.json names it: {@code sha-256:<hex>}. */
    public String contentDigest() {
        return digest.algorithm() + ":" + digest.hex();
    }
}
