package dev.raftpipe.pipeline.cli;

import dev.raftpipe.codecs.archive.VerifiedArchive;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import dev.raftpipe.stages.ArchiveSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Verifies an archive and reports it: the body of {@code verify} and {@code inspect}. */
abstract class VerifyCommandBase implements Callable<Integer> {
    @Parameters(paramLabel = "<file.snap>", description = "The archive.")
    Path archive;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    SealOptions seal = new SealOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    /** Whether a sealed archive without its key shows its public meta.json instead of failing ({@code inspect}). */
    boolean showsPublicMeta() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (showsPublicMeta() && seal.keyFile == null) {
            var meta = ArchiveJobs.publicMeta(archive);
            if (!meta.sealer().equals("none")) {
                var report = ArchiveReportJson.unverified(archive, meta);
                System.out.print(json ? report + "\n" : ArchiveReportJson.text(report));
                return ExitCodes.OK;
            }
        }
        ArchiveSettings settings = ArchiveSettings.create(common.load()).withSealer(seal.forOpening(archive));
        VerifiedArchive v = ArchiveJobs.verify(archive, settings);
        var report = ArchiveReportJson.verified(archive, v, Duration.ofNanos(System.nanoTime() - start));
        System.out.print(json ? report + "\n" : ArchiveReportJson.text(report));
        return ExitCodes.OK;
    }
}
