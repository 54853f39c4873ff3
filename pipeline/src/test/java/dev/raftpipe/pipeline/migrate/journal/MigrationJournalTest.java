package dev.raftpipe.pipeline.migrate.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationJournalTest {
    @TempDir
    Path dir;

    @Test
    void anAttemptIsCountedAndItsResultSurvivesReopening() {
        Path file = dir.resolve("j.db");
        try (MigrationJournal j = MigrationJournal.open(file)) {
            assertTrue(j.get("a").isEmpty());
            j.started("a", "fp1", Optional.empty());
            j.started("a", "fp1", Optional.empty());
            j.runningOn("a", "pekko://raftpipe@127.0.0.1:1");
            assertEquals(JobStatus.RUNNING, j.get("a").orElseThrow().status());
            assertEquals(2, j.get("a").orElseThrow().attempts());
            j.finished(new JournalEntry("a", "fp1", JobStatus.SUCCEEDED, 2, 10, 20, 30, Optional.empty(), Optional.of("w")));
            j.started("b", "fp2", Optional.empty());
            j.finished(new JournalEntry("b", "fp2", JobStatus.FAILED_VERIFICATION, 1, 0, 0, 5, Optional.of("bad crc"),
                    Optional.empty()));
        }
        try (MigrationJournal j = MigrationJournal.open(file)) {
            JournalEntry a = j.get("a").orElseThrow();
            assertEquals(new JournalEntry("a", "fp1", JobStatus.SUCCEEDED, 2, 10, 20, 30, Optional.empty(), Optional.of("w")), a);
            assertEquals(Optional.of("bad crc"), j.get("b").orElseThrow().error());
            assertEquals(2, j.all().size());
            // a changed plan entry counts its attempts afresh
            j.started("a", "fp-other", Optional.empty());
            assertEquals(1, j.get("a").orElseThrow().attempts());
        }
    }
}
