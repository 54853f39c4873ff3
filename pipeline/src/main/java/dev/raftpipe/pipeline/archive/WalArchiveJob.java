package dev.raftpipe.pipeline.archive;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.WalArchiveMeta;
import dev.raftpipe.codecs.archive.WalArchiveReader;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.wal.WalSegment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * WAL archives of a finished member directory ({@code wal/} and, for a purged source, {@code snap/db} and its
 * {@code .snap}), written through {@link WalArchiveStream} (self-tested, then renamed onto {@code <out>}); and read
 * back: extracted into a member directory, or only verified.
 */
public final class WalArchiveJob {
    private WalArchiveJob() {
    }

    /** @param checksum the whole file's, {@code sha-256=<base64>} */
    public record Packed(Path archive, WalArchiveMeta meta, long bytes, String checksum, Duration duration) {
    }

    /** Packs {@code member} into a new WAL archive at {@code out}; a failure leaves nothing there. */
    public static Packed pack(Path member, Path out, Optional<Sealer> sealer, Config config) throws IOException {
        try (WalArchiveStream archive = WalArchiveStream.create(out, sealer, config,
                Optional.of(member.resolve("snap")), true)) {
            for (WalSegment s : WalSegment.list(member.resolve("wal"))) {
                archive.take(s);
            }
            archive.finish();
            return archive.publish();
        }
    }

    /** Extracts and verifies {@code archive} into {@code member} (which must not exist). */
    public static WalArchiveMeta extract(Path archive, Path member, Optional<Sealer> sealer, Config config)
            throws IOException {
        return WalArchiveReader.extract(archive, member, WalArchiveStream.limits(config.getConfig("raftpipe.archive")),
                sealer);
    }

    /** Reads {@code archive} through and checks all of it, keeping nothing (one segment at a time in a private
     * temporary directory). */
    public static WalArchiveReader.Verified verify(Path archive, Optional<Sealer> sealer, Config config)
            throws IOException {
        Path scratch = Files.createTempDirectory("raftpipe-verify-", PrivateFiles.DIRECTORY);
        try {
            return WalArchiveReader.verify(archive, scratch, WalArchiveStream.limits(
                    config.getConfig("raftpipe.archive")), sealer);
        } finally {
            FileTrees.delete(scratch);
        }
    }
}
