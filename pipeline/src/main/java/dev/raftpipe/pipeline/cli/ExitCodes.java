package dev.raftpipe.pipeline.cli;

import com.typesafe.config.ConfigException;
import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.bolt.NotABoltFileException;
import dev.raftpipe.codecs.wal.NotAWalDirectoryException;
import dev.raftpipe.pipeline.Failures;
import dev.raftpipe.pipeline.RefusedException;
import dev.raftpipe.pipeline.spi.PipelineFileException;


/** The launcher's exit codes, a public contract (docs/architecture.md, docs/commands.md); the error line is {@link dev.raftpipe.pipeline.Failures#message}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int VERIFICATION_FAILED = 2;
    public static final int IO_OR_INTERNAL = 3;

    private ExitCodes() {
    }

    public static int of(Throwable t) {
        t = Failures.cause(t);
        if (t instanceof VerificationException) {
            return VERIFICATION_FAILED;
        }
        if (t instanceof UsageException || t instanceof PipelineFileException
                || t instanceof NotAWalDirectoryException
                || t instanceof NotABoltFileException
                || t instanceof ConfigException
                || t instanceof RefusedException) {
            return USAGE;
        }
        return IO_OR_INTERNAL;
    }

}
