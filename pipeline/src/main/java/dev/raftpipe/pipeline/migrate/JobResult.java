package dev.raftpipe.pipeline.migrate;

/** What one cluster's job did: entries (or keys) handled and bytes read or written, as the job counts them. */
public record JobResult(long entries, long bytes) {
}
