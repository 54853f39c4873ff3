package dev.raftpipe.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.raftpipe.pipeline.Failures;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.replay.DataDirReplay;
import dev.raftpipe.pipeline.job.ReplayJob;
import dev.raftpipe.pipeline.job.StopAt;
import dev.raftpipe.pipeline.job.TailReplay;
import dev.raftpipe.pipeline.replay.ReplayReportJson;
import dev.raftpipe.pipeline.replay.SnapshotReplay;
import dev.raftpipe.stages.BackendAdvancedException;
import dev.raftpipe.pipeline.location.Place;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Apply the committed entries of an etcd WAL to a SQLite backend, as etcd applies them.",
                "Creates the backend if missing. Entries at or below its consistent_index are skipped, so running",
                "twice, or again after a crash, changes nothing. A WAL that starts after the backend's next index",
                "fails (exit 2) and applies nothing."},
        footer = {"", "Examples:",
                "  raftpipe replay --wal-dir /var/lib/etcd/member/wal --backend etcd.db",
                "  raftpipe replay --data-dir /var/lib/etcd --backend etcd.db     # a cluster whose WAL etcd purged",
                "  raftpipe replay --wal-dir /var/lib/etcd/member/wal --to-index 4200 --backend at-4200.db  # point in time",
                "  raftpipe replay --etcd-snapshot backup.db --backend etcd.db    # from etcdctl snapshot save",
                "  raftpipe replay --endpoint https://10.0.0.1:2379 --cacert ca.crt --cert c.crt --key c.key --backend etcd.db",
                "  sqlite3 etcd.db \"SELECT CAST(key AS TEXT), version FROM kv WHERE CAST(key AS TEXT) LIKE '/registry/pods/%%'\""})
final class ReplayCommand implements Callable<Integer> {
    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    /** What to replay: a WAL from its first index, or a member's data dir as etcd starts from it. */
    static final class Input {
        @Option(names = "--wal-dir", paramLabel = "<dir>", description = "A member/wal directory that starts at "
                + "index 1 (or continues the backend).")
        Path walDir;

        @Option(names = "--data-dir", paramLabel = "<dir>", description = {"A member's data dir whose WAL etcd purged: "
                + "the backend starts from its db (member/snap/db) at consistent_index with membership from the "
                + "newest .snap file, then the WAL after it."})
        Path dataDir;

        @Option(names = "--etcd-snapshot", paramLabel = "<file|s3://bucket/key>", description = {"An etcdctl snapshot save file "
                + "(its SHA-256 trailer checked): a new backend of its state."})
        Place etcdSnapshot;

        @Option(names = "--endpoint", paramLabel = "<url>", description = {"A running member (http(s)://host:port): "
                + "its snapshot streamed over etcd's Maintenance API into a new backend."})
        String endpoint;
    }

    @Mixin
    EndpointOptions connection = new EndpointOptions();

    @Option(names = "--skip-hash-check", description = "With --etcd-snapshot: do not check the trailer (a plain db file).")
    boolean skipHashCheck;

    @Mixin
    PointInTimeOptions pointInTime = new PointInTimeOptions();

    @Option(names = "--backend", required = true, paramLabel = "<file.db>", description = "The SQLite backend.")
    Path backend;

    @Option(names = "--allow-other-cluster", description = "Apply a WAL of another etcd cluster than the one the backend holds (refused by default: exit 2).")
    boolean allowOtherCluster;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    /** Where the replay stops, and whether a WAL of another cluster than the backend's is accepted. */
    private TailReplay tail() {
        return TailReplay.upTo(pointInTime.stopAt()).withAllowOtherCluster(allowOtherCluster);
    }

    @Override
    public Integer call() throws Exception {
        connection.requireEndpoint(input.endpoint);
        if (skipHashCheck && input.etcdSnapshot == null) {
            throw new UsageException("--skip-hash-check goes with --etcd-snapshot");
        }
        StopAt stop = pointInTime.stopAt();
        if (stop.isSet() && (input.etcdSnapshot != null || input.endpoint != null)) {
            throw new UsageException("--to-index and --to-revision go with --wal-dir or --data-dir (a snapshot holds "
                    + "one point in time)");
        }
        if (input.etcdSnapshot != null || input.endpoint != null) {
            Config config = common.load();
            var snapshot = connection.snapshot(input.endpoint, input.etcdSnapshot, skipHashCheck, config);
            SnapshotReplay.Report r = Streams.run(config, system -> SnapshotReplay.run(snapshot, backend,
                    common.progress(), system));
            System.out.print(json ? new ObjectMapper().writeValueAsString(MetaFallbackWarnings.addTo(ReplayReportJson.of(r))) + "\n"
                    : ReplayReportJson.text(r));
            return ExitCodes.OK;
        }
        try {
            return replayLog();
        } catch (Exception e) {
            if (json) {
                printFailure(e);
            }
            throw e;
        }
    }

    /** With --json a failure is an object too, saying how far an existing backend got (null: it did not move). */
    private static void printFailure(Exception e) {
        var o = new ObjectMapper().createObjectNode();
        o.put("error", Failures.message(e));
        o.put("exit_code", ExitCodes.of(e));
        BackendAdvancedException advanced = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BackendAdvancedException a) {
                advanced = a;
            }
        }
        if (advanced != null) {
            o.put("backend", advanced.backend().toString());
            o.put("consistent_index", advanced.consistentIndex());
        } else {
            o.putNull("consistent_index");
        }
        System.out.println(o);
    }

    private Integer replayLog() throws Exception {
        ReplayJob.Report report;
        if (input.dataDir != null) {
            DataDirReplay.Report r = Streams.run(common.load(),
                    system -> DataDirReplay.run(input.dataDir, backend, tail(), common.progress(), system));
            report = r.tail();
            System.out.print(json ? new ObjectMapper().writeValueAsString(MetaFallbackWarnings.addTo(ReplayReportJson.of(r))) + "\n"
                    : ReplayReportJson.text(r));
        } else {
            if (pointInTime.stopAt().isSet() && Files.exists(backend)) {
                // a WAL that never reaches the point would leave it advanced past where it stood
                throw new FileAlreadyExistsException(backend.toString(), null,
                        "a point-in-time replay builds a new backend");
            }
            report = Streams.run(common.load(), system -> ReplayJob.run(input.walDir, backend, tail(),
                    common.progress(), system));
            System.out.print(json ? new ObjectMapper().writeValueAsString(MetaFallbackWarnings.addTo(ReplayReportJson.of(report))) + "\n"
                    : ReplayReportJson.text(report));
        }
        report.read().tornTail().ifPresent(t -> System.err.println("raftpipe: warning: torn write at the end of "
                + t.segment() + " (offset " + t.offset() + "): the last record was left out"));
        return ExitCodes.OK;
    }
}
