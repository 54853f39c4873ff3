package dev.raftpipe.pipeline.migrate.journal;

import java.util.Locale;

/** A cluster's state in the journal, stored by its lowercase name. */
public enum JobStatus {
    /** Started and not finished: the process died or the worker was lost; a re-run resumes it. */
    RUNNING,
    SUCCEEDED,
    /** The data failed verification (corrupt WAL, bad seal…): retrying cannot help. */
    FAILED_VERIFICATION,
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static JobStatus ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
