package dev.raftpipe.pipeline.archive;

import dev.raftpipe.codecs.archive.SealKey;
import dev.raftpipe.codecs.archive.Sealer;
import dev.raftpipe.codecs.archive.Sealers;
import dev.raftpipe.pipeline.run.PipelineFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How an archive is sealed or opened: a sealer kind and a key file. Sealing needs both or neither;
 * opening with a key file alone uses the kind the archive names.
 */
public record ArchiveKey(Optional<String> seal, Optional<Path> keyFile) {

    public static ArchiveKey none() {
        return new ArchiveKey(Optional.empty(), Optional.empty());
    }

    /** The sealer that opens {@code archive}: with a key file, the kind named or else the archive's own. */
    public Optional<Sealer> openingSealer(Path archive) throws IOException {
        if (keyFile.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Sealers.of(ArchiveJobs.openingKind(archive, seal), SealKey.read(keyFile.get())));
    }

    /** Sets {@code seal} and {@code key-file} on a pipeline's archive stage. */
    PipelineFile applyTo(PipelineFile pipeline, String stage) {
        PipelineFile p = pipeline;
        if (seal.isPresent()) {
            p = p.with(stage, "seal", seal.get());
        }
        if (keyFile.isPresent()) {
            p = p.with(stage, "key-file", keyFile.get());
        }
        return p;
    }
}
