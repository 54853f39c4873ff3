package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.location.Place;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@Command(name = "raftpipe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Back up, redact, seal, verify, restore and migrate etcd data as streaming pipelines.",
        footer = {"",
                "Exit codes: 0 success, 1 usage error, 2 data failed verification, 3 I/O or internal failure.",
                "Example:",
                "  java -jar raftpipe.jar wal inspect /var/lib/etcd/member/wal --json",
                "  java -jar raftpipe.jar replay --wal-dir /var/lib/etcd/member/wal --backend etcd.db",
                "  java -jar raftpipe.jar seal --backend etcd.db --out etcd.snap"})
final class RootCommand implements Runnable {
    /** The commands, in the order {@code --help} lists them. */
    private static final List<Class<?>> COMMANDS = List.of(WalCommand.class, DbCommand.class, ReplayCommand.class,
            BackupCommand.class, SealCommand.class, RunCommand.class, VerifyCommand.class, InspectCommand.class,
            RestoreCommand.class, ExportCommand.class, MigrateCommand.class, WorkerCommand.class, VersionCommand.class);

    /**
     * The command line for {@code args}: with only the command they name where they name one, because picocli reflects
     * over every option of every command it is given, ~50 ms of each start; with all of them otherwise (the root's
     * help, an unknown command and its "did you mean").
     */
    static CommandLine commandLine(String... args) {
        CommandLine cmd = new CommandLine(new RootCommand());
        Optional<String> named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst();
        List<Class<?>> wanted = COMMANDS.stream()
                .filter(c -> named.isPresent() && c.getAnnotation(Command.class).name().equals(named.get()))
                .toList();
        (wanted.isEmpty() ? COMMANDS : wanted).forEach(cmd::addSubcommand);
        cmd.registerConverter(Place.class, Place::parse); // after the commands: picocli gives it to those it has
        footersUnwrapped(cmd);
        return cmd;
    }

    /**
     * The examples in every command's footer as written: picocli wraps them at the help width like prose, which
     * splits a command line in the middle so that it no longer pastes.
     */
    private static void footersUnwrapped(CommandLine cmd) {
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            StringBuilder out = new StringBuilder();
            for (String line : help.commandSpec().usageMessage().footer()) {
                // picocli formats help text ("%%" is a percent sign); the wrapping is what is left out
                out.append(String.format(line)).append(System.lineSeparator());
            }
            return out.toString();
        });
        cmd.getSubcommands().values().forEach(RootCommand::footersUnwrapped);
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces and Pekko's log on stderr.")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
