package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.wal.WalMetadata;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The start of a source WAL: whose it is (its metadata) and the index of its first entry, which tells a purged
 * WAL (etcd removed the segments behind its newest snapshot; the db holds that state) from one starting at 1.
 *
 * @param firstIndex 0 for a WAL without entries
 */
record WalStart(WalMetadata metadata, long firstIndex) {
    static WalStart read(Path walDir) throws IOException {
        WalMetadata metadata = null;
        try (WalReader reader = WalReader.open(walDir, WalReader.Options.DEFAULTS)) {
            for (WalRecord r = reader.next(); r != null; r = reader.next()) {
                if (r instanceof WalRecord.MetadataRecord m && metadata == null) {
                    metadata = m.metadata();
                } else if (r instanceof WalRecord.EntryRecord e) {
                    return new WalStart(require(metadata, walDir), e.entry().index());
                }
            }
        }
        return new WalStart(require(metadata, walDir), 0);
    }

    private static WalMetadata require(WalMetadata metadata, Path walDir) {
        if (metadata == null) {
            throw new VerificationException(walDir + ": no metadata record before the first entry");
        }
        return metadata;
    }
}
