package dev.raftpipe.codecs.snap;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.raft.ConfState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SnapWriterTest {
    @TempDir
    Path tmp;

    @Test
    void whatIsWrittenReadsBack() throws Exception {
        List<StateRecord.Member> members = List.of(
                new StateRecord.Member(0x1895d67280276a47L, "", List.of("http://127.0.0.1:24772"), List.of(), false),
                new StateRecord.Member(0xadebb83de4f604d7L, "", List.of("http://127.0.0.1:24770"), List.of(), false));
        Path file = SnapWriter.write(tmp, 1, 2, ConfState.of(List.of(0x1895d67280276a47L, 0xadebb83de4f604d7L), List.of()),
                members);
        assertEquals("0000000000000001-0000000000000002.snap", file.getFileName().toString());
        SnapFile s = SnapFile.read(file);
        assertEquals(2, s.index());
        assertEquals(1, s.term());
        assertEquals(List.of(0x1895d67280276a47L, 0xadebb83de4f604d7L), s.confState().voters());
        assertEquals(members, s.members());
    }
}
