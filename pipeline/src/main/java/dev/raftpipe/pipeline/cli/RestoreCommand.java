package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backend from a snapshot archive. The archive is verified first; nothing is restored",
                "from one that fails (exit 2). The backend is built beside <backend> and renamed onto it. A backend",
                "that has applied more than the archive holds is not replaced without --force. With --wal-dir, the",
                "WAL's entries after the archive's index are then replayed through the applied_index guard."},
        footer = {"", "Examples:",
                "  raftpipe restore etcd.snap --backend etcd.db",
                "  raftpipe restore etcd.snap --backend etcd.db --key-file key --wal-dir /var/lib/etcd/member/wal"})
final class RestoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<file.snap>", description = "The archive.")
    Path archive;

    @Option(names = "--backend", required = true, paramLabel = "<file.db>", description = "The backend to restore.")
    Path backend;

    @Option(names = "--wal-dir", paramLabel = "<dir>", description = "Continue with this WAL's later entries.")
    Path walDir;

    @Option(names = "--force", description = "Replace a backend even if it is ahead of the archive.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    SealOptions seal = new SealOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        ArchiveKey key = seal.openingKey(archive);
        ArchiveJobs.Restored restored = Streams.run(common.load(), system -> ArchiveJobs.restore(archive, backend, force,
                Optional.ofNullable(walDir), key, common.progress(), system));
        var report = ArchiveReportJson.restored(restored);
        System.out.print(json ? report + "\n" : ArchiveReportJson.text(report));
        return ExitCodes.OK;
    }
}
