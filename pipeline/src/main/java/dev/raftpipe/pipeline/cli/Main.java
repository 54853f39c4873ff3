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
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failed(commandLine.getErr(), ex, verbose));
        try {
            return cmd.execute(args);
        } catch (Error e) {
            // picocli hands exceptions to the handler above but lets errors through: a library that cannot load
            // (ExceptionInInitializerError), the heap, the stack
            return failed(cmd.getErr(), e, verbose);
        }
    }

    /** A failure as one line (its stack too with --verbose); the exit code its kind has. */
    private static int failed(PrintWriter err, Throwable t, boolean verbose) {
        if (verbose) {
            t.printStackTrace(err);
        }
        err.println("raftpipe: " + dev.raftpipe.pipeline.Failures.message(t));
        err.flush();
        return ExitCodes.of(t);
    }
}
