package dev.raftpipe.stages;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.codecs.digest.ContentDigest;
import dev.raftpipe.codecs.wal.WalRecord;
import org.apache.pekko.stream.javadsl.Flow;

import java.util.concurrent.CompletionStage;

/**
 * A stage anyone can place: passes every element through unchanged and digests its content in order
 * ({@link ContentDigest}: entries of WAL records, whatever else the WAL holds; state records; key revisions).
 * Materializes the {@link ContentDigest.Digest} when the stream completes.
 */
public final class Checksum {
    private Checksum() {
    }

    public static <T> Flow<T, T, CompletionStage<ContentDigest.Digest>> flow(ContentDigest.Algorithm algorithm) {
        return SummarizingFlow.of(() -> new ContentDigest(algorithm), (digest, element) -> {
            feed(digest, element);
            return element;
        }, ContentDigest::finish);
    }

    private static void feed(ContentDigest digest, Object element) {
        if (element instanceof WalRecord.EntryRecord e) {
            digest.entry(e.entry());
        } else if (element instanceof StateRecord r) {
            digest.state(r);
        } else if (element instanceof KeyRevision r) {
            digest.keyRevision(r);
        } else if (!(element instanceof WalRecord)) {
            throw new IllegalArgumentException("no content digest for " + element.getClass().getName());
        }
    }
}
