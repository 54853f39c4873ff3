package dev.raftpipe.itests;

import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Natural mistakes get one line that says what to do, with the README's exit code, and change nothing: sealing over
 * an existing archive, a data dir given as a WAL dir, etcd's bbolt file given as a backend, a backend of a newer
 * schema, a --config file that does not parse.
 */
class LauncherMistakesTest {
    @EtcdFixture("single")
    static Path single;

    @TempDir
    Path tmp;

    @Test
    void sealRefusesAnExistingArchiveUnlessForced() throws Exception {
        Path backend = replayed();
        Path out = tmp.resolve("a.snap");
        assertEquals(0, Launcher.run(tmp, "seal", "--backend", backend.toString(), "--out", out.toString()).exit());
        byte[] archive = Files.readAllBytes(out);
        byte[] sidecar = Files.readAllBytes(Path.of(out + ".info.json"));
        Launcher.Result again = Launcher.run(tmp, "seal", "--backend", backend.toString(), "--out", out.toString());
        assertEquals(3, again.exit(), again.stderr());
        assertOneLine(again, "already exists");
        assertTrue(again.stderr().contains("--force"), again.stderr());
        assertArrayEquals(archive, Files.readAllBytes(out), "the archive is untouched");
        assertArrayEquals(sidecar, Files.readAllBytes(Path.of(out + ".info.json")), "and its sidecar");
        assertEquals(0, Launcher.run(tmp, "seal", "--backend", backend.toString(), "--out", out.toString(),
                "--force").exit());
    }

    @Test
    void anOutputThatCannotBeWrittenIsNamedAsTheUserGaveIt() throws Exception {
        Path backend = replayed();
        Launcher.Result r = Launcher.run(tmp, "seal", "--backend", backend.toString(), "--out", "/proc/x.snap");
        assertEquals(3, r.exit(), r.stderr());
        assertOneLine(r, "/proc/x.snap");
        assertFalse(r.stderr().contains(".tmp-"), "the user's path, not a temporary one: " + r.stderr());
    }

    @Test
    void exportRefusesAnExistingOutputBeforeReadingItsSource() throws Exception {
        Path existing = Files.writeString(tmp.resolve("existing.db"), "someone's file");
        // a source that fails as soon as it is read: the refusal must come first
        Path damaged = Files.write(tmp.resolve("damaged.snap"), new byte[4096]);
        Launcher.Result r = Launcher.run(tmp, "export", damaged.toString(), "--etcd-snapshot", existing.toString());
        assertEquals(3, r.exit(), r.stderr());
        assertOneLine(r, existing + ": already exists");
        assertEquals("someone's file", Files.readString(existing));
    }

    @Test
    void aDataDirGivenAsAWalDirIsAUsageErrorWithAHint() throws Exception {
        Path dataDir = single.resolve("n1.etcd");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", dataDir.toString(), "--backend",
                tmp.resolve("x.db").toString());
        assertEquals(1, r.exit(), r.stderr());
        assertOneLine(r, dataDir.resolve("member/wal").toString());
        assertFalse(Files.exists(tmp.resolve("x.db")));
    }

    @Test
    void etcdsBboltFileGivenAsABackendSaysWhatReadsIt() throws Exception {
        Path db = single.resolve("n1.etcd/member/snap/db");
        Launcher.Result r = Launcher.run(tmp, "seal", "--backend", db.toString(), "--out", tmp.resolve("x.snap").toString());
        assertEquals(2, r.exit(), "not a raftpipe backend, as for any other file: " + r.stderr());
        assertOneLine(r, "bbolt");
        assertTrue(r.stderr().contains("--etcd-snapshot") || r.stderr().contains("--data-dir"), r.stderr());
    }

    @Test
    void aNewerBackendIsRefusedWithoutSideFilesLeftBeside() throws Exception {
        Path backend = replayed();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backend);
             Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = DELETE");
            st.execute("PRAGMA user_version = 99");
        }
        for (List<String> command : List.of(
                List.of("seal", "--backend", backend.toString(), "--out", tmp.resolve("n.snap").toString()),
                List.of("replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(), "--backend",
                        backend.toString()))) {
            Launcher.Result r = Launcher.run(tmp, command.toArray(String[]::new));
            assertEquals(2, r.exit(), command.get(0) + ": " + r.stderr());
            assertOneLine(r, "newer than this raftpipe knows");
            assertFalse(Files.exists(Path.of(backend + "-wal")) || Files.exists(Path.of(backend + "-shm")),
                    command.get(0) + " left SQLite side files beside the refused backend");
        }
    }

    @Test
    void aConfigFileThatDoesNotParseIsAUsageErrorNamingFileAndLine() throws Exception {
        Path conf = Files.writeString(tmp.resolve("broken.conf"), "raftpipe {\n  archive.codec = \n");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", tmp.resolve("c.db").toString(), "--config", conf.toString());
        assertEquals(1, r.exit(), r.stderr());
        assertOneLine(r, "broken.conf");
        assertFalse(r.stderr().contains("internal error") || r.stderr().contains("ConfigException"), r.stderr());
        assertFalse(Files.exists(tmp.resolve("c.db")));
    }

    @Test
    void aPlanWithMissingSourcesNamesThemAllBeforeAnyWork() throws Exception {
        Path plan = Files.writeString(tmp.resolve("plan.conf"), """
                defaults { job = replay, target-dir = out }
                clusters = [
                  { name = gone-1, source = "/nonexistent/one" }
                  { name = here, source = "%s" }
                  { name = gone-2, source = "/nonexistent/two" }
                ]
                """.formatted(EtcdFixtures.walDir(single, "n1")));
        Launcher.Result r = Launcher.run(tmp, "migrate", "--plan", plan.toString());
        assertEquals(1, r.exit(), r.stderr());
        assertOneLine(r, "gone-1");
        assertTrue(r.stderr().contains("gone-2"), "every error of the plan: " + r.stderr());
        assertFalse(Files.exists(tmp.resolve("plan.conf.journal.db")), "no journal before any work");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing done");
    }

    @Test
    void theLauncherScriptWorksThroughASymlinkOnThePath() throws Exception {
        Path script = Launcher.jar().getParent().getParent().resolve("raftpipe");
        Path link = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("bin")).resolve("raftpipe"), script);
        Process p = new ProcessBuilder("bash", link.toString(), "version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("raftpipe "), out);
    }

    @Test
    void helpIsWholeSentencesWithoutWarnings() throws Exception {
        Launcher.Result top = Launcher.inProcess("--help");
        assertEquals(0, top.exit());
        String commands = top.stdout().substring(top.stdout().indexOf("Commands:"), top.stdout().indexOf("Exit codes"));
        for (String entry : commands.split("\n  (?=[a-z])")) {
            if (!entry.startsWith("Commands:")) {
                assertTrue(entry.strip().endsWith("."), "a whole sentence per command: " + entry);
            }
        }
        for (String command : List.of("replay", "seal", "restore", "backup", "migrate", "export", "verify", "inspect")) {
            Launcher.Result help = Launcher.inProcess(command, "--help");
            assertEquals(0, help.exit(), command);
            assertFalse((help.stdout() + help.stderr()).contains("WARN"), command + " --help: " + help.stderr());
            String text = help.stdout();
            if (text.contains("Examples:")) { // each example stays on its own line, so that it pastes
                text.substring(text.indexOf("Examples:")).lines().skip(1).filter(l -> !l.isBlank())
                        .forEach(l -> assertTrue(l.startsWith("  ") || l.matches("[A-Z].*\\.$"),
                                command + " --help: a line that is neither an example nor a sentence (a wrapped "
                                        + "example?): '" + l + "'"));
            }
        }
    }

    private Path replayed() throws Exception {
        Path backend = tmp.resolve("b-" + System.nanoTime() + ".db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", backend.toString());
        assertEquals(0, r.exit(), r.stderr());
        return backend;
    }

    @Test
    void aNativeLibraryThatCannotLoadIsOneLineAndExit3() throws Exception {
        Path backend = replayed();
        Path archive = tmp.resolve("a.snap");
        assertEquals(0, Launcher.run(tmp, "seal", "--backend", backend.toString(), "--out", archive.toString()).exit());
        // zstd-jni copies its library into java.io.tmpdir as it loads: a file there makes that fail
        Path notADirectory = Files.writeString(tmp.resolve("not-a-directory"), "");
        Launcher.Result r = Launcher.run(tmp, List.of("-Djava.io.tmpdir=" + notADirectory), "verify", archive.toString());
        assertEquals(3, r.exit(), r.stderr());
        assertOneLine(r, "zstd");
        assertTrue(r.stderr().startsWith("raftpipe: internal error: "), r.stderr());
    }

    private static void assertOneLine(Launcher.Result r, String expected) {
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(expected), r.stderr());
    }
}
