package dev.raftpipe.pipeline.cli;

import picocli.CommandLine.Command;

/** {@code consul snapshot inspect}'s counterpart: the archive's metadata and record counts, verified. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        header = "Show a snapshot archive's (or WAL archive's) metadata and record counts, verified.",
        description = {"Show a snapshot archive's metadata (ID, index, term, revision, configuration) and its record",
                "counts by kind. The archive is verified as with 'verify'. A sealed one without --key-file shows only",
                "its public meta.json, unverified (ok: false); state.bin of an aes-gcm archive is encrypted."},
        footer = {"", "Example:", "  raftpipe inspect etcd.snap --json"})
final class InspectCommand extends VerifyCommandBase {
    @Override
    boolean showsPublicMeta() {
        return true;
    }
}
