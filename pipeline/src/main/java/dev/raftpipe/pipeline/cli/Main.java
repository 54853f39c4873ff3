package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.LauncherConfig;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/** {@code java -jar raftpipe.jar <command>}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (tests call this directly). */
    public static int run(String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (System.getProperty("raftpipe.log.level") == null) {
            System.setProperty("raftpipe.log.level", verbose ? "INFO" : "OFF");
        }
        // nothing is logged without --verbose: spare Pekko's start-up the slf4j and logback set-up (~0.25 s)
        LauncherConfig.quietPekko(!verbose);
        CommandLine cmd = RootCommand.commandLine(args);
        cmd.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("raftpipe: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.println("raftpipe: " + dev.raftpipe.pipeline.Failures.message(ex));
            err.flush();
            return ExitCodes.of(ex);
        });
        try {
            return cmd.execute(args);
        } catch (Error e) {
            // picocli hands exceptions to the handler above but lets errors through: a library that cannot load
            // (ExceptionInInitializerError), the heap, the stack; still one line, and the stack only with --verbose
            PrintWriter err = cmd.getErr();
            if (verbose) {
                e.printStackTrace(err);
            }
            err.println("raftpipe: " + dev.raftpipe.pipeline.Failures.message(e));
            err.flush();
            return ExitCodes.IO_OR_INTERNAL;
        }
    }
}
