package dev.raftpipe.pipeline.migrate.journal;

/** A cluster's state in the journal, stored by its lowercase name. */
public enum JobStatus {
    /** Started and not finished: the process died or the worker was lost; a re-run resumes it. */
    RUNNING,
    SUCCEEDED,
    /** The data failed verification (corrupt WAL, bad seal…): retrying cannot help. */
    FAILED_VERIFICATION,
    FAILED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static JobStatus ofLabel(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
