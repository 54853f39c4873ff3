package dev.raftpipe.pipeline.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootCommandTest {
    private static final Set<String> ALL = Set.of("wal", "db", "replay", "backup", "seal", "run", "verify", "inspect",
            "restore", "export", "migrate", "worker", "version");

    @Test
    void aNamedCommandIsTheOnlyOneBuiltAndKeepsTheInheritedVerbose() {
        CommandLine cmd = RootCommand.commandLine("--verbose", "seal", "--backend", "verify", "--out", "x.snap");
        assertEquals(Set.of("seal"), cmd.getSubcommands().keySet());
        assertTrue(cmd.getSubcommands().get("seal").getCommandSpec().findOption("--verbose") != null);
        assertEquals(Set.of("wal"), RootCommand.commandLine("wal", "inspect", "dir").getSubcommands().keySet());
    }

    @Test
    void theRootsHelpAndAnUnknownCommandSeeEveryCommand() {
        assertEquals(ALL, RootCommand.commandLine("--help").getSubcommands().keySet());
        assertEquals(ALL, RootCommand.commandLine().getSubcommands().keySet());
        assertEquals(ALL, RootCommand.commandLine("sael", "--backend", "b.db").getSubcommands().keySet());
    }

    @Test
    void aConfigFileBeforeTheCommandGoesToTheCommand() {
        assertArrayEquals(new String[] {"--verbose", "seal", "--backend", "b.db", "--config", "f.conf"},
                Main.configAfterCommand(new String[] {"--config", "f.conf", "--verbose", "seal", "--backend", "b.db"}));
        assertArrayEquals(new String[] {"wal", "inspect", "--config=f.conf", "--", "-odd-dir"},
                Main.configAfterCommand(new String[] {"--config=f.conf", "wal", "inspect", "--", "-odd-dir"}));
        String[] after = {"seal", "--config", "f.conf", "--out", "x.snap"};
        assertArrayEquals(after, Main.configAfterCommand(after));
    }
}
