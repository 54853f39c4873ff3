package dev.raftpipe.pipeline;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.pipeline.cli.ExitCodes;
import dev.raftpipe.pipeline.cli.UsageException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailuresTest {
    @Test
    void theCauseBehindFutureAndUncheckedWrappersIsWhatIsToldAndClassified() {
        Throwable wrapped = new CompletionException(new ExecutionException(
                new UncheckedIOException(new NoSuchFileException("/x/member/wal", null, "not a WAL directory"))));
        assertEquals("/x/member/wal: not a WAL directory", Failures.message(wrapped));
        assertEquals(ExitCodes.IO_OR_INTERNAL, ExitCodes.of(wrapped));

        Throwable bad = new CompletionException(new VerificationException("CRC mismatch in segment 3 at offset 42"));
        assertEquals("CRC mismatch in segment 3 at offset 42", Failures.message(bad));
        assertTrue(Failures.isVerification(bad));
        assertEquals(ExitCodes.VERIFICATION_FAILED, ExitCodes.of(bad), "bad data is exit 2 however it was wrapped");
    }

    @Test
    void aPersonsMistakeIsToldAsItIsAndABugByItsClass() {
        assertEquals("--backend goes with --wal-dir", Failures.message(new UsageException("--backend goes with --wal-dir")));
        assertEquals(ExitCodes.USAGE, ExitCodes.of(new UsageException("x")));
        assertEquals("internal error: java.lang.NullPointerException: boom",
                Failures.message(new CompletionException(new NullPointerException("boom"))));
    }
}
