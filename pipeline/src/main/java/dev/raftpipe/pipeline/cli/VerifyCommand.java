package dev.raftpipe.pipeline.cli;

import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Check a snapshot archive or WAL archive through to the end without restoring it.",
        description = {"Check a snapshot archive through to the end without restoring it: entry names and kinds, sizes",
                "and decompression ratio, every SHA-256, the seal, the format version, every state.bin record.",
                "Exit 0 only if every check passes, 2 on any failure. Memory stays flat for any archive size."},
        footer = {"", "Examples:", "  raftpipe verify etcd.snap", "  raftpipe verify etcd.snap --key-file key --json"})
final class VerifyCommand extends VerifyCommandBase {
}
