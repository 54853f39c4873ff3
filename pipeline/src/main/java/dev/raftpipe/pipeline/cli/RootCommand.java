package dev.raftpipe.pipeline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "raftpipe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Back up, redact, seal, verify, restore and migrate etcd data as streaming pipelines.",
        subcommands = {WalCommand.class, DbCommand.class, ReplayCommand.class, BackupCommand.class, SealCommand.class, RunCommand.class, VerifyCommand.class,
                InspectCommand.class, RestoreCommand.class, ExportCommand.class, MigrateCommand.class, WorkerCommand.class, VersionCommand.class},
        footer = {"",
                "Exit codes: 0 success, 1 usage error, 2 data failed verification, 3 I/O or internal failure.",
                "Example:",
                "  java -jar raftpipe.jar wal inspect /var/lib/etcd/member/wal --json",
                "  java -jar raftpipe.jar replay --wal-dir /var/lib/etcd/member/wal --backend etcd.db",
                "  java -jar raftpipe.jar seal --backend etcd.db --out etcd.snap"})
final class RootCommand implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces and Pekko's log on stderr.")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
