package dev.raftpipe.pipeline.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.pipeline.migrate.journal.JobStatus;

/** A migration's summary as one JSON object, or as a table for people. */
public final class MigrationReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MigrationReportJson() {
    }

    public static ObjectNode of(MigrationReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("plan", r.plan().toString());
        o.put("journal", r.journal().toString());
        o.put("parallelism", r.parallelism());
        o.put("clusters", r.clusters().size());
        o.put("succeeded", r.count(JobStatus.SUCCEEDED));
        o.put("skipped", r.skipped());
        o.put("failed_verification", r.count(JobStatus.FAILED_VERIFICATION));
        o.put("failed", r.count(JobStatus.FAILED));
        o.put("duration_ms", r.duration().toMillis());
        o.put("exit_code", r.exitCode());
        ArrayNode list = o.putArray("results");
        for (ClusterReport c : r.clusters()) {
            ObjectNode n = list.addObject();
            n.put("name", c.name());
            n.put("job", c.job());
            n.put("status", c.status().label());
            n.put("skipped", c.skipped());
            n.put("entries", c.entries());
            n.put("bytes", c.bytes());
            n.put("duration_ms", c.durationMillis());
            n.put("attempts", c.attempts());
            n.put("target", c.target());
            if (c.error() != null) {
                n.put("error", c.error());
            }
            if (c.worker() != null) {
                n.put("worker", c.worker());
            }
        }
        return o;
    }

    public static String text(MigrationReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-24s %-8s %-20s %12s %10s %9s  %s%n", "cluster", "job", "status", "entries", "MB",
                "seconds", "detail"));
        for (ClusterReport c : r.clusters()) {
            String status = c.status().label() + (c.skipped() ? " (earlier)" : "");
            String detail = c.error() != null ? c.error() : c.target();
            b.append(String.format("%-24s %-8s %-20s %,12d %10.1f %9.1f  %s%n", c.name(), c.job(), status, c.entries(),
                    c.bytes() / 1e6, c.durationMillis() / 1e3, detail));
        }
        b.append(String.format("%d clusters: %d succeeded (%d in an earlier run), %d failed verification, %d failed; "
                        + "%.1f s at parallelism %d; journal %s%n", r.clusters().size(), r.count(JobStatus.SUCCEEDED),
                r.skipped(), r.count(JobStatus.FAILED_VERIFICATION), r.count(JobStatus.FAILED), r.duration().toMillis() / 1e3,
                r.parallelism(), r.journal()));
        return b.toString();
    }
}
