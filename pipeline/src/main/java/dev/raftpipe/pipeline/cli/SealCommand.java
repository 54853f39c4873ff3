package dev.raftpipe.pipeline.cli;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.archive.ArchiveJobs;
import dev.raftpipe.pipeline.archive.ArchiveKey;
import dev.raftpipe.pipeline.archive.ArchiveReportJson;
import dev.raftpipe.pipeline.archive.EtcdSourceSeal;
import dev.raftpipe.pipeline.archive.SealTarget;
import dev.raftpipe.pipeline.job.SealJob;
import dev.raftpipe.pipeline.location.Place;
import dev.raftpipe.pipeline.location.Staging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "seal", mixinStandardHelpOptions = true,
        header = "Seal a backend, data dir, etcdctl snapshot or running member into an archive.",
        description = {"Seal a backend, a stopped member's data dir, an etcdctl snapshot or a running member into a snapshot archive: gzip around a tar of meta.json, an Avro state.bin and",
                "SHA256SUMS (HashiCorp's raft-snapshot layout), optionally with a sealed SHA256SUMS.sealed.",
                "The archive is written beside <out>, self-tested, and only then renamed onto <out>."},
        footer = {"", "Examples:",
                "  raftpipe seal --backend etcd.db --out etcd.snap",
                "  raftpipe seal --data-dir /var/lib/etcd --out etcd.snap          # a stopped member, WAL purged or not",
                "  raftpipe seal --etcd-snapshot backup.db --out etcd.snap         # from etcdctl snapshot save",
                "  raftpipe seal --endpoint https://10.0.0.1:2379 --cacert ca.crt --cert client.crt --key client.key --out etcd.snap",
                "  head -c 32 /dev/urandom > key && raftpipe seal --backend etcd.db --out etcd.snap --seal aes-gcm --key-file key"})
final class SealCommand implements Callable<Integer> {
    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** What to seal. */
    static final class Source {
        @Option(names = "--backend", paramLabel = "<file.db>", description = "A raftpipe SQLite backend.")
        Path backend;

        @Option(names = "--data-dir", paramLabel = "<dir>", description = {"A stopped member's data dir, as etcd "
                + "would start from it (its db, the newest .snap's membership, the WAL after the db)."})
        Path dataDir;

        @Option(names = "--etcd-snapshot", paramLabel = "<file|s3://bucket/key>", description = {"An etcdctl snapshot save file "
                + "(its SHA-256 trailer checked)."})
        Place etcdSnapshot;

        @Option(names = "--endpoint", paramLabel = "<url>", description = {"A running member (http(s)://host:port): "
                + "its snapshot streamed over etcd's Maintenance API, as etcdctl snapshot save takes it."})
        String endpoint;
    }

    @Mixin
    EndpointOptions connection = new EndpointOptions();

    @Option(names = "--skip-hash-check", description = "With --etcd-snapshot: do not check the trailer (a plain db file).")
    boolean skipHashCheck;

    @Option(names = "--out", required = true, paramLabel = "<file.snap|s3://bucket/key>",
            description = "The archive to publish: a path, or an object in S3-compatible storage (raftpipe.s3).")
    Place out;

    @Option(names = "--force", description = "Replace an existing archive at --out (and its sidecar).")
    boolean force;

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
        seal.sealingKey(); // a missing or bad key file is said before any work
        if (skipHashCheck && source.etcdSnapshot == null) {
            throw new UsageException("--skip-hash-check goes with --etcd-snapshot");
        }
        connection.requireEndpoint(source.endpoint);
        if (out instanceof Place.Local local && Files.exists(local.path()) && !force) {
            throw new FileAlreadyExistsException(out.name(), null,
                    "already exists; seal never replaces an archive (--force to replace it)");
        }
        Config config = common.load();
        try (Staging staging = Staging.create(config, common.progress())) {
            // an object is streamed to (self-tested as it goes); its local name only places the scratch files
            SealTarget target = new SealTarget(staging.write(out, force), staging.publisher(out, force));
            SealJob.Report sealed = seal(config, target);
            var report = MetaFallbackWarnings.addTo(ArchiveReportJson.sealed(sealed));
            System.out.print(StagedNames.withUserNames(json ? report + "\n" : ArchiveReportJson.text(report)));
        }
        return ExitCodes.OK;
    }

    private SealJob.Report seal(Config config, SealTarget out) throws Exception {
        ArchiveKey key = seal.sealingKey();
        var snapshot = source.endpoint != null || source.etcdSnapshot != null
                ? connection.snapshot(source.endpoint, source.etcdSnapshot, skipHashCheck, config) : null;
        return Streams.run(config, system -> {
            if (snapshot != null) {
                return EtcdSourceSeal.snapshot(snapshot, out, key, !noSelfTest, common.progress(), system);
            }
            if (source.dataDir != null) {
                return EtcdSourceSeal.dataDir(source.dataDir, out, key, !noSelfTest, common.progress(), system);
            }
            return ArchiveJobs.seal(source.backend, out, key, !noSelfTest, common.progress(), system);
        });
    }
}
