package dev.raftpipe.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.MemberDir;
import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.pipeline.MemberLocks;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.db.DbDump;
import dev.raftpipe.pipeline.db.DbInspectJob;
import dev.raftpipe.pipeline.db.DbReportJson;
import dev.raftpipe.pipeline.location.Place;
import dev.raftpipe.pipeline.location.Staging;
import dev.raftpipe.stages.DbSourceSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Read etcd's backend file: member/snap/db or an etcdctl snapshot save file (bbolt).",
        subcommands = {DbCommand.Inspect.class, DbCommand.Dump.class})
final class DbCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (inspect, dump)");
    }

    /** Options both subcommands share. */
    static class DbOptions extends CommonOptions {
        @Option(names = "--skip-hash-check", description = {"Do not check an etcdctl snapshot's SHA-256 trailer "
                + "(as etcdutl's flag). Without it a file other than a data dir's member/snap/db must have one, "
                + "and it must match."})
        boolean skipHashCheck;

        DbSourceSettings settings(Path db) throws IOException {
            if (Files.isDirectory(db)) {
                Path hint = MemberDir.of(db).db();
                throw new UsageException(db + " is a directory; give the db file (" + (Files.isRegularFile(hint) ? hint
                        : "member/snap/db") + ") or an etcdctl snapshot file");
            }
            if (!Files.isRegularFile(db)) {
                throw new NoSuchFileException(db.toString());
            }
            MemberLocks.refuseIfLocked(db);
            DbSourceSettings s = DbSourceSettings.create(load());
            return s.withTrailerCheck(SnapshotTrailer.Check.forNamedFile(db, skipHashCheck));
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Check a db's bbolt structure (both metas, page ids and types, element bounds, key order, "
                    + "every page reached once) and summarize it: etcd's position, members, revisions, key counts, "
                    + "and two hashes to compare with etcd's own tools:",
                    "  hash_kv      = etcdctl endpoint hashkv --rev <revision> of a member started on this db",
                    "  status_hash  = etcdutl snapshot status (also revision -> status_revision, totalKey -> total_key)",
                    "Exit 2 when the file is damaged; bbolt pages carry no checksum, so a flipped byte inside a value "
                            + "is found only in snapshot files, by their SHA-256 trailer."},
            footer = {"", "Example:", "  raftpipe db inspect /var/lib/etcd/member/snap/db --json",
                    "  raftpipe db inspect backup.snapshot    # an etcdctl snapshot save file: trailer checked"})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "<db-or-snapshot>",
                description = "member/snap/db or an etcdctl snapshot save file (a path or s3://bucket/key).")
        Place db;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @picocli.CommandLine.Mixin
        DbOptions options = new DbOptions();

        @Override
        public Integer call() throws Exception {
            try (Staging staging = Staging.create(options.load(), options.progress())) {
                Path file = staging.read(db);
                DbInspectJob.Report report = DbInspectJob.run(file, options.settings(file));
                System.out.print(StagedNames.withUserNames(json
                        ? new ObjectMapper().writeValueAsString(DbReportJson.of(report)) + "\n"
                        : DbReportJson.text(report)));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"Print a db as JSON lines: by default every live key as etcd serves it (key order), "
                    + "with --history every stored revision (revision order, tombstones included), "
                    + "with --bucket one bucket's raw entries.",
                    "Keys and values that are not UTF-8 appear base64-encoded as key_base64 / value_base64."},
            footer = {"", "Example:", "  raftpipe db dump member/snap/db | grep '\"key\":\"/registry/pods/'",
                    "  raftpipe db dump member/snap/db --history | tail -1",
                    "  raftpipe db dump member/snap/db --bucket members"})
    static final class Dump implements Callable<Integer> {
        @Parameters(paramLabel = "<db-or-snapshot>",
                description = "member/snap/db or an etcdctl snapshot save file (a path or s3://bucket/key).")
        Place db;

        @Option(names = "--history", description = "Every stored revision of the key bucket instead of the live keys.")
        boolean history;

        @Option(names = "--bucket", paramLabel = "<name>", description = "One bucket's raw entries (key, meta, lease, members, ...).")
        String bucket;

        @picocli.CommandLine.Mixin
        DbOptions options = new DbOptions();

        @Override
        public Integer call() throws Exception {
            if (history && bucket != null) {
                throw new UsageException("--history and --bucket are two different views: give one");
            }
            try (Staging staging = Staging.create(options.load(), options.progress())) {
                return dump(staging.read(db));
            }
        }

        private int dump(Path db) throws Exception {
            DbSourceSettings settings = options.settings(db);
            if (bucket != null) {
                try (EtcdDb etcd = EtcdDb.open(db, SnapshotTrailer.Check.SKIP)) {
                    List<String> names = etcd.bucketNames();
                    if (!names.contains(bucket)) {
                        throw new UsageException(db + " has no bucket " + bucket + " (it has " + String.join(", ", names) + ")");
                    }
                }
            }
            DbDump.View view = bucket != null ? DbDump.View.BUCKET : history ? DbDump.View.HISTORY : DbDump.View.LIVE;
            OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
            try {
                Streams.run(options.load(), system -> DbDump.run(db, view, bucket, settings, out, system));
            } finally {
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}
