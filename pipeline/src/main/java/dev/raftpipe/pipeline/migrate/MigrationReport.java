package dev.raftpipe.pipeline.migrate;

import dev.raftpipe.pipeline.migrate.journal.JobStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Every cluster of a plan, in plan order, with how it ended. */
public record MigrationReport(Path plan, Path journal, int parallelism, List<ClusterReport> clusters, Duration duration) {

    public MigrationReport {
        clusters = List.copyOf(clusters);
    }

    public long count(JobStatus status) {
        return clusters.stream().filter(c -> c.status() == status).count();
    }

    public long skipped() {
        return clusters.stream().filter(ClusterReport::skipped).count();
    }

    /** 0 when all succeeded, 2 when any failed verification, 3 otherwise (the launcher's codes, docs/architecture.md). */
    public int exitCode() {
        if (count(JobStatus.FAILED_VERIFICATION) > 0) {
            return 2;
        }
        return count(JobStatus.SUCCEEDED) == clusters.size() ? 0 : 3;
    }
}
