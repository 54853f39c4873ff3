package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.Failures;
import dev.raftpipe.store.BackendException;
import dev.raftpipe.pipeline.migrate.journal.JobStatus;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Sorts a job's failure (through {@link Failures}): bad data is final, I/O may pass, the rest is a bug or a bad setting. */
final class JobFailures {
    private JobFailures() {
    }

    static JobStatus status(Throwable t) {
        return Failures.isVerification(t) ? JobStatus.FAILED_VERIFICATION : JobStatus.FAILED;
    }

    /** Worth another attempt: I/O and database trouble, not missing inputs, existing outputs or bad data. */
    static boolean worthRetrying(Throwable t) {
        Throwable c = Failures.cause(t);
        if (c instanceof NoSuchFileException || c instanceof FileAlreadyExistsException || c instanceof AccessDeniedException) {
            return false;
        }
        return c instanceof IOException || c instanceof BackendException;
    }
}
