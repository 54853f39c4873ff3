package dev.raftpipe.testing;

import dev.raftpipe.codecs.wal.WalReader;
import dev.raftpipe.codecs.wal.WalRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole WAL into memory: fine for the small fixtures tests use. */
public final class WalRecords {
    private WalRecords() {
    }

    public static List<WalRecord> readAll(Path walDir) throws IOException {
        try (WalReader r = WalReader.open(walDir, WalReader.Options.DEFAULTS)) {
            List<WalRecord> out = new ArrayList<>();
            for (WalRecord rec = r.next(); rec != null; rec = r.next()) {
                out.add(rec);
            }
            return out;
        }
    }
}
