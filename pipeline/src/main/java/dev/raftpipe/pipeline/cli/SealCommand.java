package dev.raftpipe.pipeline.cli;

import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "seal", mixinStandardHelpOptions = true,
        description = {"Seal a backend into a snapshot archive: gzip around a tar of meta.json, an Avro state.bin and",
                "SHA256SUMS (HashiCorp's raft-snapshot layout), optionally with a sealed SHA256SUMS.sealed.",
                "The archive is written beside <out>, self-tested, and only then renamed onto <out>."},
        footer = {"", "Examples:",
                "  raftpipe seal --backend etcd.db --out etcd.snap",
                "  head -c 32 /dev/urandom > key && raftpipe seal --backend etcd.db --out etcd.snap --seal aes-gcm --key-file key"})
final class SealCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "<file.db>", description = "The SQLite backend to seal.")
    Path backend;

    @Option(names = "--out", required = true, paramLabel = "<file.snap>", description = "The archive to publish.")
    Path out;

    @Option(names = "--no-self-test", description = "Publish without re-reading the archive first (not advised).")
    boolean noSelfTest;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    SealOptions seal = new SealOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        ArchiveKey key = seal.sealingKey();
        ArchiveJobs.Sealed sealed = Streams.run(common.load(), system -> ArchiveJobs.seal(backend, out, key, !noSelfTest,
                common.progress(), system));
        var report = ArchiveReportJson.sealed(sealed);
        System.out.print(json ? report + "\n" : ArchiveReportJson.text(report));
        return ExitCodes.OK;
    }
}
