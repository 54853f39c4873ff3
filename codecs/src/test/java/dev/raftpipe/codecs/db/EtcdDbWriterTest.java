package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.testing.EtcdFixtures;
import dev.raftpipe.testing.TruthFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The single fixture's live state written as an etcd db (and snapshot file) and read back. */
class EtcdDbWriterTest {
    @TempDir
    static Path fixtures;
    static Path db;
    static TruthFile truth;

    @TempDir
    Path tmp;

    @BeforeAll
    static void extract() {
        Path single = EtcdFixtures.extract("single", fixtures);
        db = single.resolve("n1.etcd/member/snap/db");
        truth = TruthFile.read(single.resolve("truth.json"));
    }

    static EtcdDbFile.Published export(Path out, EtcdVersion layout, boolean trailer) throws Exception {
        DbReadOptions options = DbReadOptions.defaults();
        try (EtcdDb source = EtcdDb.open(db, SnapshotTrailer.Check.AUTO); LiveState live = LiveState.of(source, options);
             EtcdDbWriter writer = EtcdDbWriter.begin(layout, options)) {
            for (Iterator<StateRecord> it = DbState.records(source, live); it.hasNext(); ) {
                writer.accept(it.next());
            }
            return EtcdDbFile.publish(out, writer, trailer);
        }
    }

    @Test
    void theLiveStateReadsBackCompactedAtItsRevision() throws Exception {
        Path out = tmp.resolve("etcd.snapshot");
        EtcdDbFile.Published p = export(out, EtcdVersion.V3_5, true);
        assertEquals(312, p.written().keys());
        assertEquals(64, p.sha256().length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        DbInspection i = DbInspector.inspect(out, SnapshotTrailer.Check.REQUIRED, DbReadOptions.defaults());
        assertEquals(SnapshotTrailer.Result.VERIFIED, i.trailer());
        assertEquals(417, i.meta().consistentIndex());
        assertEquals(truth.revision(), i.meta().revision());
        assertEquals(truth.revision(), i.meta().finishedCompactRevision());
        assertEquals(truth.revision(), i.meta().scheduledCompactRevision());
        assertTrue(i.meta().confState() != null && i.meta().term().isPresent(), "the 3.5 layout keeps confState and term");
        assertEquals(p.statusHash(), i.statusHash());
        assertEquals(truth.rows(), EtcdDbTest.liveRows(out, DbReadOptions.defaults()));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(out), left.toList(), "no temporary file left");
        }
    }

    @Test
    void theThreeFourLayoutHasNoTermOrConfStateAndAnExistingFileIsKept() throws Exception {
        Path out = tmp.resolve("etcd.db");
        export(out, EtcdVersion.V3_4, false);
        DbInspection i = DbInspector.inspect(out, SnapshotTrailer.Check.AUTO, DbReadOptions.defaults());
        assertEquals(SnapshotTrailer.Result.NONE, i.trailer());
        assertTrue(i.meta().term().isEmpty() && i.meta().confState() == null);
        assertEquals(1, i.members().size());
        assertThrows(FileAlreadyExistsException.class, () -> export(out, EtcdVersion.V3_4, false));
    }
}
