package dev.raftpipe.codecs.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TempOutputTest {
    @TempDir
    Path dir;

    @Test
    void theLeftoversOfADeadRunAreRemovedAndNothingElse() throws Exception {
        Path target = dir.resolve("etcd.snap");
        Path mine = TempOutput.beside(target);
        Files.writeString(mine, "building");
        String owner = mine.getFileName().toString().replaceAll(".*\\.tmp-([0-9a-f]{8})-.*", "$1");

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = dir.resolve("etcd.snap.tmp-" + owner + "-" + gone.pid() + "-1-0badc0de");
        Files.createDirectories(dead.resolve("member/wal"));
        Files.writeString(dead.resolve("member/wal/x.wal"), "x");
        Path deadSpool = Path.of(dead + ".state");
        Files.writeString(deadSpool, "spool");
        Path otherHost = dir.resolve("etcd.snap.tmp-00000000-" + gone.pid() + "-1-0badc0de");
        Files.writeString(otherHost, "another machine's, on shared storage");
        Path oldStyle = dir.resolve("etcd.snap.tmp-0123456789abcdef");
        Files.writeString(oldStyle, "made before owners were recorded");
        Path otherTarget = dir.resolve("other.snap.tmp-" + owner + "-" + gone.pid() + "-1-0badc0de");
        Files.writeString(otherTarget, "another output's");

        List<Path> removed = TempOutput.sweep(target);

        assertEquals(2, removed.size(), removed.toString());
        assertFalse(Files.exists(dead), "a dead run's directory, with its contents");
        assertFalse(Files.exists(deadSpool), "and what it grew beside it");
        assertTrue(Files.exists(mine), "a live run's, this one's own");
        assertTrue(Files.exists(otherHost) && Files.exists(oldStyle) && Files.exists(otherTarget),
                "never what it cannot prove stale, nor another target's");
    }

    @Test
    void messagesNameThePublishedPathNotTheTemporaryOne(@TempDir Path dir) {
        Path out = dir.resolve("etcd.snap");
        Path temp = TempOutput.beside(out);
        assertEquals(out + ": No space left on device",
                TempOutput.withPublishedNames(temp + ": No space left on device"));
        assertEquals("cannot create " + out + ": disk I/O error",
                TempOutput.withPublishedNames("cannot create " + temp + ".scratch.db: disk I/O error"));
        assertEquals("'" + dir.resolve("backup") + "' is full", TempOutput.withPublishedNames("'"
                + TempOutput.beside(dir.resolve("backup")).resolve("member/wal/0.wal") + "' is full"));
        assertEquals("plain.tmp-file: untouched", TempOutput.withPublishedNames("plain.tmp-file: untouched"));
    }

    @Test
    void aPidReusedByAnotherProcessIsStaleAndALiveOwnerIsNot() {
        long self = ProcessHandle.current().pid();
        assertTrue(TempOutput.stale(".tmp-" + host() + "-" + self + "-zzzzzz-00000000"),
                "this pid, but started at another time: not the run that made it");
        assertFalse(TempOutput.stale(".tmp-" + host() + "-" + self + "-" + started() + "-00000000"));
    }

    private static String host() {
        return TempOutput.beside(Path.of("x")).getFileName().toString().replaceAll(".*\\.tmp-([0-9a-f]{8})-.*", "$1");
    }

    private static String started() {
        return TempOutput.beside(Path.of("x")).getFileName().toString()
                .replaceAll(".*\\.tmp-[0-9a-f]{8}-\\d+-([0-9a-z]+)-.*", "$1");
    }
}
