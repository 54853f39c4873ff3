package dev.raftpipe.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.wal.WalDump;
import dev.raftpipe.pipeline.job.WalInspectJob;
import dev.raftpipe.pipeline.wal.WalReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "wal", mixinStandardHelpOptions = true,
        description = "Read an etcd write-ahead log (member/wal).",
        subcommands = {WalCommand.Inspect.class, WalCommand.Dump.class})
final class WalCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (inspect, dump)");
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Verify a WAL's CRC chain and framing, resolve raft truncation, and summarize it.",
                    "Exit 2 when the WAL is corrupt; a torn last record is reported and left out, as etcd's repair does."},
            footer = {"", "Example:", "  raftpipe wal inspect data/member/wal --json"})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "<wal-dir>", description = "The member/wal directory.")
        Path walDir;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @picocli.CommandLine.Mixin
        CommonOptions common = new CommonOptions();

        @Override
        public Integer call() throws Exception {
            WalInspectJob.Report report = Streams.run(common.load(),
                    system -> WalInspectJob.run(walDir, common.progress(), system));
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(WalReportJson.of(report)));
            } else {
                System.out.print(WalReportJson.text(report));
            }
            report.read().tornTail().ifPresent(t -> System.err.println("raftpipe: warning: torn write at the end of "
                    + t.segment() + " (offset " + t.offset() + "): the last record was left out"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"Print every entry of the resolved log as one JSON line: index, term, type, op and the request.",
                    "Keys and values that are not UTF-8 appear base64-encoded as key_base64 / value_base64."},
            footer = {"", "Example:", "  raftpipe wal dump data/member/wal | grep '\"op\":\"txn\"'"})
    static final class Dump implements Callable<Integer> {
        @Parameters(paramLabel = "<wal-dir>", description = "The member/wal directory.")
        Path walDir;

        @picocli.CommandLine.Mixin
        CommonOptions common = new CommonOptions();

        @Override
        public Integer call() throws Exception {
            OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
            try {
                Streams.run(common.load(), system -> WalDump.run(walDir, out, common.progress(), system));
            } finally {
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}
