package dev.raftpipe.codecs.snap;

import dev.raftpipe.codecs.VerificationException;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixtures' real etcd 3.4 snapshot files. */
class SnapFileTest {
    @TempDir
    static Path fixtures;
    static Path single;
    static Path partition;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() {
        single = EtcdFixtures.extract("single", fixtures.resolve("s"));
        partition = EtcdFixtures.extract("partition", fixtures.resolve("p"));
    }

    @Test
    void theNewestSnapshotOfTheSingleMember() throws Exception {
        Path snapDir = single.resolve("n1.etcd/member/snap");
        assertEquals(4, SnapDir.files(snapDir).size());
        SnapFile s = SnapDir.newest(snapDir).orElseThrow();
        assertEquals(0x194, s.index());
        assertEquals(2, s.term());
        assertEquals(List.of(0xc0da02e0a64bd8afL), s.confState().voters());
        assertEquals(List.of(new StateRecord.Member(0xc0da02e0a64bd8afL, "n1", List.of("http://127.0.0.1:24750"),
                List.of("http://127.0.0.1:24740"), false)), s.members());
        assertEquals("3.4.0", s.clusterVersion());
    }

    @Test
    void aMemberThatNeverSnapshottedHasNone() throws Exception {
        assertTrue(SnapDir.newest(partition.resolve("n1.etcd/member/snap")).isEmpty());
    }

    @Test
    void aFlippedByteFailsTheCrc() throws Exception {
        Path file = SnapDir.files(single.resolve("n1.etcd/member/snap")).get(0);
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 4;
        Path bad = tmp.resolve(file.getFileName());
        Files.write(bad, b);
        VerificationException e = assertThrows(VerificationException.class, () -> SnapFile.read(bad));
        assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
    }
}
