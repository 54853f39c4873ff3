package dev.raftpipe.pipeline.cli;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.pipeline.spi.PipelineFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** The launcher's exit codes, a public contract (README, ARCHITECTURE.md). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int VERIFICATION_FAILED = 2;
    public static final int IO_OR_INTERNAL = 3;

    private ExitCodes() {
    }

    public static int of(Throwable t) {
        if (t instanceof VerificationException) {
            return VERIFICATION_FAILED;
        }
        if (t instanceof UsageException || t instanceof PipelineFileException
                || t instanceof dev.raftpipe.codecs.wal.NotAWalDirectoryException
                || t instanceof com.typesafe.config.ConfigException
                || t instanceof dev.raftpipe.pipeline.RefusedException) {
            return USAGE;
        }
        return IO_OR_INTERNAL;
    }

    /** One line for a person: what went wrong, without a stack trace. */
    public static String message(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        if (t instanceof NoSuchFileException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "no such file or directory");
        }
        if (t instanceof FileAlreadyExistsException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "already exists");
        }
        if (t instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        String m = t.getMessage();
        if (t instanceof com.typesafe.config.ConfigException) {
            // Typesafe's message starts with the file and line: "broken.conf: 2: Expecting a value…"
            return "bad configuration: " + (m == null ? "" : m.replaceAll("\\s+", " ").trim());
        }
        if (t instanceof IOException || t instanceof VerificationException || t instanceof UsageException
                || t instanceof PipelineFileException || t instanceof dev.raftpipe.store.BackendException
                || t instanceof dev.raftpipe.pipeline.RefusedException) {
            return m != null ? m : t.getClass().getSimpleName();
        }
        return "internal error: " + t.getClass().getName() + (m != null ? ": " + m : "");
    }
}
