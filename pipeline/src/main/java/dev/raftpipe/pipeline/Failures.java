package dev.raftpipe.pipeline;

import com.typesafe.config.ConfigException;
import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import dev.raftpipe.store.BackendException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one reading of a failure, for the launcher's error line and exit code and for migrate's summary and retries:
 * the real cause behind what futures and streams wrap around it, and that cause in one line for a person.
 */
public final class Failures {
    /** A failure whose message is written for a person as it is (a usage mistake, a bad plan). */
    public interface Told {
    }

    private Failures() {
    }

    /** The cause behind the wrappers of futures ({@code CompletionException}, {@code ExecutionException}). */
    public static Throwable unwrapped(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The same, also behind {@code UncheckedIOException}: what went wrong, to classify and to tell. */
    public static Throwable cause(Throwable t) {
        t = unwrapped(t);
        while (t instanceof UncheckedIOException && t.getCause() != null) {
            t = unwrapped(t.getCause());
        }
        return t;
    }

    /** Bad data: exit 2, and a migrate job that failed verification (never retried). */
    public static boolean isVerification(Throwable t) {
        return cause(t) instanceof VerificationException;
    }

    /**
     * One line: what went wrong, without a stack trace; a class name only for what is a bug. A temporary output is
     * named by the path it would have been published at.
     */
    public static String message(Throwable t) {
        return TempOutput.withPublishedNames(StagedNames.withUserNames(describe(t)));
    }

    private static String describe(Throwable t) {
        Throwable c = cause(t);
        if (c instanceof NoSuchFileException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "no such file or directory");
        }
        if (c instanceof FileAlreadyExistsException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "already exists");
        }
        if (c instanceof AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        String m = c.getMessage();
        if (c instanceof ConfigException) {
            // Typesafe's message starts with the file and line: "broken.conf: 2: Expecting a value…"
            return "bad configuration: " + (m == null ? "" : m.replaceAll("\\s+", " ").trim());
        }
        if (c instanceof IOException || c instanceof VerificationException || c instanceof BackendException
                || c instanceof PipelineFileException || c instanceof RefusedException || c instanceof Told
                || c instanceof IllegalArgumentException) {
            return m != null ? m : c.getClass().getSimpleName();
        }
        return "internal error: " + c.getClass().getName() + (m != null ? ": " + m : "");
    }
}
