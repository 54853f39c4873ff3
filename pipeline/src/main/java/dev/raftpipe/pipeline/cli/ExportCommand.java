package dev.raftpipe.pipeline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import dev.raftpipe.pipeline.export.ExportJob;
import dev.raftpipe.pipeline.export.ExportReportJson;
import dev.raftpipe.pipeline.location.Place;
import dev.raftpipe.pipeline.location.Staging;
import dev.raftpipe.pipeline.source.SourceKind;
import dev.raftpipe.pipeline.source.StateSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Write a state as an etcdctl snapshot save file that etcd restores from.",
        description = {"Write a state as an etcdctl snapshot save file (an etcd db and its SHA-256 trailer) that",
                "etcdutl snapshot restore (3.5) and etcdctl snapshot restore (3.4) take. The source is a sealed",
                "archive (verified first), a raftpipe backend, a stopped member's data dir, or an etcd db file.",
                "The db holds each live key at its mod revision and is marked compacted at the revision: reads",
                "and watches at older revisions get \"compacted\". Written beside <file>, read back, then renamed."},
        footer = {"", "Examples:",
                "  raftpipe export etcd.snap --etcd-snapshot restore-me.db --key-file key",
                "  raftpipe export /var/lib/etcd --etcd-snapshot now.db --etcd-version 3.4",
                "  etcdutl snapshot restore restore-me.db --data-dir /var/lib/etcd-new"})
final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<source>", description = {"An archive, a backend, a data dir or an etcd db/snapshot file; "
            + "an archive or snapshot file may be an s3://bucket/key object."})
    Place from;

    @Option(names = "--etcd-snapshot", required = true, paramLabel = "<file|s3://bucket/key>",
            description = "The snapshot file to write, or the object to upload it as.")
    Place to;

    @Option(names = "--etcd-version", paramLabel = "3.4|3.5", description = {"The etcd whose db layout to write "
            + "(3.5 keeps term and confState in it). Default: the version the state came from, else 3.5."})
    String etcdVersion;

    @Option(names = "--skip-hash-check", description = "For an etcd snapshot file as the source: do not check its trailer.")
    boolean skipHashCheck;

    @Option(names = "--history", description = {"For an etcd db or snapshot file: copy its every stored revision "
            + "(and its compaction marks) as it is, so a member restored from it computes the source's hashkv, "
            + "instead of its live state."})
    boolean history;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    SealOptions seal = new SealOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws Exception {
        Optional<EtcdVersion> layout;
        try {
            layout = etcdVersion == null ? Optional.empty() : Optional.of(EtcdVersion.of(etcdVersion));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--etcd-version: " + e.getMessage());
        }
        Config config = common.load();
        try (Staging staging = Staging.create(config, common.progress())) {
            Path out = staging.write(to, false);
            Path source = staging.read(from);
            if (history && (etcdVersion != null || SourceKind.of(source) != SourceKind.ETCD_DB)) {
                throw new UsageException("--history copies an etcd db or snapshot file as it is: give one as the "
                        + "source, without --etcd-version");
            }
            var opening = seal.forOpeningIfGiven(source);
            ExportJob.Report r = Streams.run(config, system -> ExportJob.run(source, out,
                    new ExportJob.Settings(layout, new StateSources.Reading(opening,
                            SnapshotTrailer.Check.forNamedFile(source, skipHashCheck)), history), common.progress(),
                    system));
            staging.publish(to, out, false);
            ObjectNode o = MetaFallbackWarnings.addTo(ExportReportJson.of(r, history));
            System.out.print(StagedNames.withUserNames(json ? o + "\n" : ArchiveReportJson.text(o)));
        }
        return ExitCodes.OK;
    }
}
