package dev.raftpipe.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar raftpipe.jar ...} as a user would, in its own process. */
final class Launcher {
    record Result(int exit, String stdout, String stderr) {
    }

    private Launcher() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("raftpipe.jar", "../pipeline/target/raftpipe.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("launcher JAR not built: " + jar);
        }
        return jar;
    }

    /** The command line that runs the launcher JAR with extra JVM options (e.g. {@code -Dkey=value}). */
    static List<String> command(List<String> jvmOptions, String... args) {
        return command(!Boolean.getBoolean("raftpipe.it.plain-java"), jvmOptions, args);
    }

    private static List<String> command(boolean shortRun, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (shortRun) {
            cmd.addAll(ShortRun.OPTIONS);
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * What {@code pipeline/raftpipe} gives a short command, which the tests' hundreds of runs are: the class-data-sharing
     * archive the build recorded (when it is newer than the JAR; a JVM it does not fit ignores it), the serial
     * collector and C1 alone. It halves each run's CPU (2.7 of 4.0 s for a replay of the sample); the JAR, its
     * classes and their behaviour are the same. {@code -Draftpipe.it.plain-java=true} runs plain {@code java -jar}.
     * The native libraries are left to load as under {@code java -jar} (a test covers how they fail there).
     */
    private static final class ShortRun {
        /** Found once per test JVM: the build has recorded the archive before any itest runs. */
        static final List<String> OPTIONS = List.copyOf(shortRunOptions());
    }

    private static List<String> shortRunOptions() {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        Path jar = jar();
        try (var files = Files.list(jar.getParent())) {
            List<Path> archives = files.filter(f -> f.getFileName().toString().matches("raftpipe-[0-9]+\\.jsa")).toList();
            for (Path jsa : archives) {
                if (Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                    options.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto", "-Xlog:cds=off",
                            "-Xlog:cds+dynamic=off"));
                    break;
                }
            }
        } catch (IOException e) {
            // no archive: the JVM's own CDS only
        }
        return options;
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, List.of(), args);
    }

    /** The same with extra JVM options (e.g. {@code -Dkey=value}). */
    static Result run(Path workDir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return runCommand(workDir, command(jvmOptions, args), args);
    }

    /** The same with extra environment variables (e.g. an S3 endpoint and its credentials). */
    static Result run(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        return runCommand(workDir, env, command(jvmOptions, args), args);
    }

    /** Exactly {@code java -jar raftpipe.jar ...}, no option added: what the README's examples run. */
    static Result runPlainJava(Path workDir, String... args) throws IOException, InterruptedException {
        return runCommand(workDir, command(false, List.of(), args), args);
    }

    private static Result runCommand(Path workDir, List<String> cmd, String[] args)
            throws IOException, InterruptedException {
        return runCommand(workDir, Map.of(), cmd, args);
    }

    private static Result runCommand(Path workDir, Map<String, String> env, List<String> cmd, String[] args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("raftpipe-out", ".txt");
        Path err = Files.createTempFile("raftpipe-err", ".txt");
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            b.environment().putAll(env);
            Process p = b.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("raftpipe " + String.join(" ", args) + " did not finish in 300 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * The launcher's entry point in this JVM, its output captured: no JVM start per run, for tests that run many
     * commands (paths must be absolute: the working directory is the build's). One at a time: System.out is global.
     */
    static synchronized Result inProcess(String... args) {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(e, true, java.nio.charset.StandardCharsets.UTF_8));
            int exit = dev.raftpipe.pipeline.cli.Main.run(args);
            return new Result(exit, o.toString(java.nio.charset.StandardCharsets.UTF_8),
                    e.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
