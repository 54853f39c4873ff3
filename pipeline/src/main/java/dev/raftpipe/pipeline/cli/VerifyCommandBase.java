package dev.raftpipe.pipeline.cli;

import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.codecs.archive.VerifiedArchive;
import dev.raftpipe.codecs.archive.WalArchiveReader;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import dev.raftpipe.pipeline.location.Place;
import dev.raftpipe.pipeline.location.Staging;
import dev.raftpipe.stages.ArchiveSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;
import dev.raftpipe.pipeline.archive.WalArchiveJob;
import dev.raftpipe.pipeline.archive.WalArchiveReportJson;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Verifies an archive and reports it: the body of {@code verify} and {@code inspect}. */
abstract class VerifyCommandBase implements Callable<Integer> {
    @Parameters(paramLabel = "<file.snap|s3://bucket/key>", description = "The archive: a path or an object in "
            + "S3-compatible storage (copied to a private temporary file first).")
    Place source;

    private Path archive;

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
        try (Staging staging = Staging.create(common.load(), common.progress())) {
            archive = staging.read(source);
            return report();
        }
    }

    private int report() throws Exception {
        long start = System.nanoTime();
        if (WalArchiveReader.isWalArchive(archive)) {
            return walArchive(start);
        }
        if (showsPublicMeta() && seal.keyFile == null) {
            var meta = ArchiveJobs.publicMeta(archive);
            if (!meta.sealer().equals("none")) {
                var report = ArchiveReportJson.unverified(archive, meta);
                print(json ? report + "\n" : ArchiveReportJson.text(report));
                return ExitCodes.OK;
            }
        }
        ArchiveSettings settings = ArchiveSettings.create(common.load()).withSealer(seal.forOpening(archive));
        VerifiedArchive v = ArchiveJobs.verify(archive, settings);
        var report = ArchiveReportJson.verified(archive, v, Duration.ofNanos(System.nanoTime() - start));
        print(json ? report + "\n" : ArchiveReportJson.text(report));
        return ExitCodes.OK;
    }

    private static void print(String report) {
        System.out.print(StagedNames.withUserNames(report));
    }

    /** A WAL archive is read through and checked, one segment at a time in a private temporary directory. */
    private int walArchive(long start) throws Exception {
        if (showsPublicMeta() && seal.keyFile == null) {
            var meta = WalArchiveReader.peekMeta(archive);
            if (!meta.sealer().equals("none")) {
                var report = WalArchiveReportJson.of(archive, meta, Optional.empty(), Optional.empty());
                print(json ? report + "\n" : ArchiveReportJson.text(report));
                return ExitCodes.OK;
            }
        }
        var sealer = seal.forOpening(archive);
        var verified = WalArchiveJob.verify(archive, sealer, common.load());
        var report = WalArchiveReportJson.of(archive, verified.meta(), Optional.of(verified.checksum()),
                Optional.of(Duration.ofNanos(System.nanoTime() - start)));
        print(json ? report + "\n" : ArchiveReportJson.text(report));
        return ExitCodes.OK;
    }
}
