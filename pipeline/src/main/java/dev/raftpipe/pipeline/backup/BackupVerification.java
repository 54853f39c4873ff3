package dev.raftpipe.pipeline.backup;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.archive.WalArchiveMeta;
import dev.raftpipe.codecs.raft.WalSnapshot;
import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.stages.ReplaySummary;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a written backup back before it is published: the WAL's CRC chain is clean and it holds the
 * expected entries up to the expected last index; the backend is not behind the WAL's last snapshot.
 */
final class BackupVerification {
    private BackupVerification() {
    }

    /** An archived backup: its WAL was read back into the archive's facts as it went in, and again by the
     * self-test. */
    static void check(WalArchiveMeta archived, Backup.Report r) {
        entries(archived.entries(), archived.lastIndex(), r);
        backend(r);
    }

    static void check(Path walDir, Backup.Report r) throws IOException {
        long entries = 0;
        long last = 0;
        try (WalReader reader = WalReader.open(walDir, WalReader.Options.DEFAULTS)) {
            for (WalRecord rec = reader.next(); rec != null; rec = reader.next()) {
                if (rec instanceof WalRecord.EntryRecord e) {
                    entries++;
                    last = e.entry().index();
                }
            }
        }
        entries(entries, last, r);
        backend(r);
    }

    private static void entries(long entries, long last, Backup.Report r) {
        if (entries != r.log().entries() || last != r.log().lastIndex()) {
            throw new VerificationException("the backup WAL reads back " + entries + " entries up to " + last
                    + ", expected " + r.log().entries() + " up to " + r.log().lastIndex());
        }
    }

    private static void backend(Backup.Report r) {
        long lastSnapshot = r.log().snapshots().stream().mapToLong(WalSnapshot::index).max().orElse(0);
        if (r.backend().isPresent()) {
            ReplaySummary b = r.backend().get();
            if (b.meta().consistentIndex() < lastSnapshot) {
                throw new VerificationException("the backup backend's consistent_index " + b.meta().consistentIndex()
                        + " is behind the WAL's last snapshot index " + lastSnapshot);
            }
        }
    }
}
