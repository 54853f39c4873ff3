package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build records the class-data-sharing archive {@code pipeline/raftpipe} starts from (a training run over the
 * common commands), so a user's first run of a command already loads its classes from it instead of recording one.
 */
class StartupArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void theFirstRunOfACommandLoadsItsClassesFromTheArchiveTheBuildRecorded() throws Exception {
        Path jar = Launcher.jar();
        Path script = jar.getParent().getParent().resolve("raftpipe");
        List<Path> archives = archives(jar.getParent());
        assertEquals(1, archives.size(), "one archive, for the java on the PATH: " + archives);
        FileTime recorded = Files.getLastModifiedTime(archives.get(0));
        assertTrue(recorded.compareTo(Files.getLastModifiedTime(jar)) > 0, "recorded after the JAR was built");

        Path wal = EtcdFixtures.walDir(EtcdFixtures.extract("single", tmp.resolve("fixture")), "n1");
        for (List<String> command : List.of(List.of("wal", "inspect", wal.toString()),
                List.of("replay", "--wal-dir", wal.toString(), "--backend", tmp.resolve("r.db").toString()))) {
            Path log = tmp.resolve("classes-" + command.get(0) + ".log");
            assertEquals(0, launch(script, command, "-Xlog:class+load=info:file=" + log), command.toString());
            String loaded = Files.readString(log);
            for (String cls : List.of("dev.raftpipe.codecs.wal.WalReader", "dev.raftpipe.pipeline.cli.RootCommand",
                    "org.apache.pekko.actor.ActorSystem")) {
                assertTrue(loaded.contains(cls + " source: shared objects file"),
                        command + ": " + cls + " from the archive");
            }
        }
        assertEquals(archives, archives(jar.getParent()), "nothing recorded at run time");
        assertEquals(recorded, Files.getLastModifiedTime(archives.get(0)), "the build's archive kept");
    }

    @Test
    void sqliteAndZstdLoadTheLibrariesTheBuildExtractedInsteadOfCopyingThemOutAtEachStart() throws Exception {
        Path jar = Launcher.jar();
        Path script = jar.getParent().getParent().resolve("raftpipe");
        String opts = Files.readString(jar.getParent().resolve("raftpipe-native").resolve("java-opts"));
        assertTrue(opts.contains("-Dorg.sqlite.lib.path=") && opts.contains("-DZstdNativePath="), opts);

        Path wal = EtcdFixtures.walDir(EtcdFixtures.extract("single", tmp.resolve("fixture")), "n1");
        // a file, not a directory: a library that copied itself out at start would fail the command
        Path javaTmp = Files.writeString(tmp.resolve("not-a-directory"), "");
        Path backend = tmp.resolve("r.db");
        Path archive = tmp.resolve("r.snap");
        for (List<String> command : List.of(
                List.of("replay", "--wal-dir", wal.toString(), "--backend", backend.toString()),
                List.of("seal", "--backend", backend.toString(), "--out", archive.toString()),
                List.of("verify", archive.toString()))) {
            assertEquals(0, launch(script, command, "-Djava.io.tmpdir=" + javaTmp),
                    command + " with java.io.tmpdir unusable");
        }
    }

    /** Runs {@code command} through the launcher script with {@code javaOpts}; its exit code. */
    private static int launch(Path script, List<String> command, String javaOpts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(script.toString()), command.stream()).toList())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA_OPTS", javaOpts);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), command + " finished");
        return p.exitValue();
    }

    private static List<Path> archives(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("raftpipe-[0-9]+\\.jsa(\\.tmp-.*)?"))
                    .sorted().toList();
        }
    }
}
