package dev.raftpipe.codecs.wal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WalExtentTest {
    @TempDir
    Path wal;

    @Test
    void theLastSegmentCountsUpToItsPreallocatedZeros() throws Exception {
        byte[] first = new byte[5000];
        Arrays.fill(first, (byte) 7);
        Files.write(wal.resolve("0000000000000000-0000000000000000.wal"), first);
        byte[] last = new byte[3 * 1024 * 1024 + 17]; // spans several read-back chunks
        Arrays.fill(last, 0, 1234, (byte) 1);
        Files.write(wal.resolve("0000000000000001-0000000000000051.wal"), last);
        Files.write(wal.resolve("0.tmp"), new byte[999]); // not a segment

        assertEquals(OptionalLong.of(5000 + 1234), WalExtent.bytes(wal));
    }

    @Test
    void noSegmentsMeansNoSize() {
        assertEquals(OptionalLong.empty(), WalExtent.bytes(wal));
        assertEquals(OptionalLong.empty(), WalExtent.bytes(wal.resolve("missing")));
    }
}
