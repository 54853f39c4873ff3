package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.store.BackendException;
import dev.raftpipe.store.journal.JobStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Sorts a job's failure: bad data is final, I/O may pass, the rest is a bug or a bad setting. */
final class Failures {
    private Failures() {
    }

    static Throwable cause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static JobStatus status(Throwable t) {
        return cause(t) instanceof VerificationException ? JobStatus.FAILED_VERIFICATION : JobStatus.FAILED;
    }

    /** Worth another attempt: I/O and database trouble, not missing inputs, existing outputs or bad data. */
    static boolean worthRetrying(Throwable t) {
        Throwable c = cause(t);
        if (c instanceof NoSuchFileException || c instanceof FileAlreadyExistsException || c instanceof AccessDeniedException) {
            return false;
        }
        return c instanceof IOException || c instanceof BackendException;
    }

    /** One line for the summary. */
    static String message(Throwable t) {
        Throwable c = cause(t);
        if (c instanceof NoSuchFileException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "no such file or directory");
        }
        if (c instanceof FileAlreadyExistsException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "already exists");
        }
        String m = c.getMessage();
        if (c instanceof IOException || c instanceof VerificationException || c instanceof BackendException
                || c instanceof IllegalArgumentException || c instanceof PlanException
                || c instanceof dev.raftpipe.pipeline.spi.PipelineFileException) {
            return m != null ? m : c.getClass().getSimpleName();
        }
        return "internal error: " + c.getClass().getName() + (m != null ? ": " + m : "");
    }
}
