package dev.raftpipe.pipeline.cli;

import picocli.CommandLine.Command;

/** {@code consul snapshot inspect}'s counterpart: the archive's metadata and record counts, verified. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a snapshot archive's metadata (ID, index, term, revision, configuration) and its record",
                "counts by kind. The archive is verified as with 'verify'; a sealed one needs --key-file."},
        footer = {"", "Example:", "  raftpipe inspect etcd.snap --json"})
final class InspectCommand extends VerifyCommandBase {
}
