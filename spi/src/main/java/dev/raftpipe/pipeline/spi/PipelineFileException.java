package dev.raftpipe.pipeline.spi;

/** A pipeline file that cannot run: unknown stage, type mismatch, missing or bad setting (exit 1). */
public final class PipelineFileException extends RuntimeException {
    public PipelineFileException(String message) {
        super(message);
    }
}
