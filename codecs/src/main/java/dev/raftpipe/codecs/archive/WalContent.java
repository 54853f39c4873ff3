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
 * What a WAL holds, as a WAL archive states it: whose it is, its entries' range, last term and content digest, its
 * last hard state and its snapshot records' indexes. Read segment by segment ({@link Reading}), so that a WAL can be
 * described and checked as it arrives, one segment on disk at a time: the writer describes the segments it archives
 * with it, the reader checks the segments it extracts against the archive's facts with it.
 *
 * @param metadata empty when no metadata record came first
 */
public record WalContent(Optional<WalMetadata> metadata, long firstIndex, long lastIndex, long lastTerm,
                         HardState hardState, List<Long> snapshotIndexes, ContentDigest.Digest digest) {
    public WalContent {
        snapshotIndexes = List.copyOf(snapshotIndexes);
    }

    public static WalContent read(List<WalSegment> segments) throws IOException {
        Reading reading = new Reading();
        for (WalSegment s : segments) {
            reading.add(s);
        }
        return reading.finish();
    }

    /** The digest as an archive names it: {@code sha-256:<hex>}. */
    public String contentDigest() {
        return digest.algorithm() + ":" + digest.hex();
    }

    /**
     * A WAL read one segment at a time. Each segment must follow the one before: the next sequence number, its crc
     * record carrying the running CRC, the same metadata, and no torn write at its end (a WAL archive's segments
     * were written whole).
     */
    public static final class Reading {
        private final ContentDigest digest = new ContentDigest(ContentDigest.Algorithm.SHA_256);
        private final List<Long> snapshots = new ArrayList<>();
        private WalReader.Chain chain;
        private WalSegment previous;
        private WalMetadata ids;
        private long first;
        private long last;
        private long lastTerm;
        private HardState hard = HardState.EMPTY;

        public void add(WalSegment segment) throws IOException {
            if (previous != null && segment.seq() != previous.seq() + 1) {
                throw new ArchiveVerificationException("the WAL's segments do not follow each other: "
                        + previous.name() + " then " + segment.name());
            }
            try (WalReader reader = chain == null ? WalReader.open(List.of(segment), WalReader.Options.DEFAULTS)
                    : WalReader.continuing(List.of(segment), WalReader.Options.DEFAULTS, chain)) {
                for (WalRecord r = reader.next(); r != null; r = reader.next()) {
                    accept(r);
                }
                if (reader.summary().tornTail().isPresent()) {
                    throw new ArchiveVerificationException(segment.name() + " ends in a torn write: "
                            + reader.summary().tornTail().get().reason());
                }
                chain = reader.chain().orElseThrow();
            }
            previous = segment;
        }

        private void accept(WalRecord r) {
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

        /** The segments added so far. */
        public boolean isEmpty() {
            return previous == null;
        }

        public WalContent finish() {
            return new WalContent(Optional.ofNullable(ids), first, last, lastTerm, hard, snapshots, digest.finish());
        }
    }
}
