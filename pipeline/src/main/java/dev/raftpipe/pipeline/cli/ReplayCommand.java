package dev.raftpipe.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.replay.Replay;
import dev.raftpipe.pipeline.replay.ReplayReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Apply the committed entries of an etcd WAL to a SQLite backend, as etcd applies them.",
                "Creates the backend if missing. Entries at or below its consistent_index are skipped, so running",
                "twice, or again after a crash, changes nothing. A WAL that starts after the backend's next index",
                "fails (exit 2) and applies nothing."},
        footer = {"", "Examples:",
                "  raftpipe replay --wal-dir /var/lib/etcd/member/wal --backend etcd.db",
                "  sqlite3 etcd.db \"SELECT key, version FROM kv WHERE key LIKE '/registry/pods/%'\""})
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--wal-dir", required = true, paramLabel = "<dir>", description = "The member/wal directory.")
    Path walDir;

    @Option(names = "--backend", required = true, paramLabel = "<file.db>", description = "The SQLite backend.")
    Path backend;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        Replay.Report report = Streams.run(common.load(),
                system -> Replay.run(walDir, backend, common.progress(), system));
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(ReplayReportJson.of(report)));
        } else {
            System.out.print(ReplayReportJson.text(report));
        }
        report.read().tornTail().ifPresent(t -> System.err.println("raftpipe: warning: torn write at the end of "
                + t.segment() + " (offset " + t.offset() + "): the last record was left out"));
        return ExitCodes.OK;
    }
}
