package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.Failures;
import dev.raftpipe.pipeline.LauncherConfig;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar raftpipe.jar <command>}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (tests call this directly). */
    public static int run(String... args) {
        args = configAfterCommand(args);
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (System.getProperty("raftpipe.log.level") == null) {
            System.setProperty("raftpipe.log.level", verbose ? "INFO" : "OFF");
        }
        // nothing is logged without --verbose: spare Pekko's start-up the slf4j and logback set-up (~0.25 s)
        LauncherConfig.quietPekko(!verbose);
        CommandLine cmd = RootCommand.commandLine(args);
        cmd.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // picocli's own messages for argument groups begin with "Error: ", which our prefix already says
            err.println("raftpipe: " + ex.getMessage().replaceFirst("^Error: ", ""));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failed(commandLine.getErr(), ex, verbose));
        try (MetaFallbackWarnings fallbacks = MetaFallbackWarnings.start()) {
            return cmd.execute(args);
        } catch (Error e) {
            // picocli hands exceptions to the handler above but lets errors through: a library that cannot load
            // (ExceptionInInitializerError), the heap, the stack
            return failed(cmd.getErr(), e, verbose);
        }
    }

    /**
     * {@code --config <file>} may come before the command, as {@code --verbose} may: it is moved to the end of the
     * command line (before a {@code --}), where the command's own option takes it.
     */
    static String[] configAfterCommand(String[] args) {
        List<String> rest = new ArrayList<>();
        List<String> config = new ArrayList<>();
        boolean beforeCommand = true;
        for (int i = 0; i < args.length; i++) {
            if (beforeCommand && args[i].equals("--config") && i + 1 < args.length) {
                config.add(args[i]);
                config.add(args[++i]);
            } else if (beforeCommand && args[i].startsWith("--config=")) {
                config.add(args[i]);
            } else {
                beforeCommand &= args[i].startsWith("-");
                rest.add(args[i]);
            }
        }
        if (config.isEmpty()) {
            return args;
        }
        int end = rest.indexOf("--");
        rest.addAll(end < 0 ? rest.size() : end, config);
        return rest.toArray(String[]::new);
    }

    /** A failure as one line (its stack too with --verbose); the exit code its kind has. */
    private static int failed(PrintWriter err, Throwable t, boolean verbose) {
        if (verbose) {
            t.printStackTrace(err);
        }
        err.println("raftpipe: " + Failures.message(t));
        err.flush();
        return ExitCodes.of(t);
    }
}
