package dev.raftpipe.itests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listener that accepts the connection and never says a word (a hung member, a wrong port behind a proxy): every
 * command that reads a member fails at its deadline with one line naming it, and leaves nothing behind.
 */
class EndpointDeadlineTest {
    @TempDir
    Path tmp;

    @Test
    void aMemberThatAcceptsAndNeverAnswersFailsAtTheFirstByteDeadlineAndLeavesNothing() throws Exception {
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            List<String> deadline = List.of("-Draftpipe.endpoint-source.first-byte-timeout=2s");
            Path out = Files.createDirectories(tmp.resolve("out"));
            List<List<String>> commands = List.of(
                    List.of("replay", "--endpoint", endpoint, "--backend", out.resolve("b.db").toString()),
                    List.of("seal", "--endpoint", endpoint, "--out", out.resolve("s.snap").toString()),
                    List.of("backup", "--endpoint", endpoint, "--export", out.resolve("e.db").toString()));
            for (List<String> command : commands) {
                Launcher.Result r = Launcher.run(tmp, deadline, command.toArray(String[]::new));
                assertEquals(3, r.exit(), command + ": " + r.stderr());
                assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
                assertTrue(r.stderr().contains(endpoint + ": no answer 2 s after the call started "
                        + "(raftpipe.endpoint-source.first-byte-timeout)"), r.stderr());
                try (Stream<Path> left = Files.list(out)) {
                    assertEquals(List.of(), left.toList(), command + " left nothing, not even its spool");
                }
            }
            assertTrue(!held.isEmpty(), "the commands did connect");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
