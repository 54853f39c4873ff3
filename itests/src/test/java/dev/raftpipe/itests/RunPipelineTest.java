package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.testing.EtcdFixture;
import dev.raftpipe.testing.EtcdFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code raftpipe run} with a real plugin JAR, against the built-in backup; broken pipeline files. */
class RunPipelineTest {
    @EtcdFixture("single")
    static Path single;

    @TempDir
    Path tmp;

    /** A plugin directory holding the example plugin's JAR, as the reactor built it (examples/plugin). */
    static Path pluginJar(Path dir) throws Exception {
        Path built = Path.of(System.getProperty("raftpipe.example.plugin",
                "../examples/plugin/target/raftpipe-example-plugin.jar"));
        assertTrue(Files.isRegularFile(built), built + " is built by the examples/plugin module (mvn -B verify)");
        return Files.copy(built, Files.createDirectories(dir).resolve("count-writes.jar"));
    }

    /**
     * A checksum stage placed anywhere: the partition's old leader's WAL holds eight entries a later term
     * overwrote; after resolve it digests like its own resolved copy read back raw, and unlike itself unresolved.
     */
    @Test
    void aChecksumDigestsTheEffectiveEntriesWhereverItStands() throws Exception {
        Path partition = EtcdFixtures.extract("partition", tmp.resolve("fixture"));
        Path wal = EtcdFixtures.walDir(partition, "n2");
        Path conf = Files.writeString(tmp.resolve("resolve.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  stages = [ { stage = checksum }, { stage = resolve }, { stage = checksum } ]
                  sinks = [ { stage = wal-sink, dir = "copy/member/wal" } ]
                }
                """.formatted(wal));
        Launcher.Result first = Launcher.run(tmp, "run", conf.toString(), "--json");
        assertEquals(0, first.exit(), first.stderr());
        JsonNode raw = new ObjectMapper().readTree(first.stdout()).at("/stages/2:checksum");
        JsonNode resolved = new ObjectMapper().readTree(first.stdout()).at("/stages/4:checksum");
        Path again = Files.writeString(tmp.resolve("again.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "copy/member/wal" }
                  stages = [ { stage = checksum }, { stage = resolve } ]
                  sinks = [ { stage = replay-sink, backend = copy.db } ]
                }
                """);
        Launcher.Result second = Launcher.run(tmp, "run", again.toString(), "--json");
        assertEquals(0, second.exit(), second.stderr());
        JsonNode copy = new ObjectMapper().readTree(second.stdout()).at("/stages/2:checksum");
        assertEquals(resolved, copy);
        assertEquals(raw.get("elements").asLong(), resolved.get("elements").asLong() + 8, raw + " vs " + resolved);
        assertFalse(raw.get("hex").equals(resolved.get("hex")));
        assertEquals(64, resolved.get("hex").asText().length());
    }

    /**
     * wal-source → resolve → redact → checksum → wal-archive-sink: the archive verifies, its content digest is the
     * checksum stage's, and a member restored from it serves the fixture's keys, masked under the prefix.
     */
    @Test
    void aRedactedWalArchiveFromAPipelineVerifiesAndRestoresAMemberEtcdServes() throws Exception {
        Files.writeString(tmp.resolve("mask.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        Path conf = Files.writeString(tmp.resolve("archive.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  stages = [
                    { stage = resolve }
                    { stage = redact, mask-prefixes = ["/registry/secrets/"], mask-key-file = mask.key }
                    { stage = checksum }
                  ]
                  sinks = [ { stage = wal-archive-sink, out = piped.walsnap } ]
                }
                """.formatted(EtcdFixtures.walDir(single, "n1")));
        Launcher.Result run = Launcher.run(tmp, "run", conf.toString(), "--json");
        assertEquals(0, run.exit(), run.stderr());
        JsonNode stages = new ObjectMapper().readTree(run.stdout()).get("stages");
        String digest = "sha-256:" + stages.at("/4:checksum/hex").asText();
        assertEquals(digest, stages.at("/5:wal-archive-sink/meta/facts/content_digest").asText(), stages.toString());
        Launcher.Result verify = Launcher.run(tmp, "verify", "piped.walsnap", "--json");
        assertEquals(0, verify.exit(), verify.stderr());
        assertEquals(digest, new ObjectMapper().readTree(verify.stdout()).get("content_digest").asText(),
                "the WAL read back digests as the stream did");

        int peer = EtcdProcess.freePort();
        Path member = tmp.resolve("member.etcd");
        Launcher.Result restored = Launcher.run(tmp, "restore", "piped.walsnap", "--etcd-data-dir", member.toString(),
                "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:" + peer);
        assertEquals(0, restored.exit(), restored.stderr());
        Truth truth = Truth.read(single.resolve("truth.json"));
        try (EtcdProcess etcd = EtcdProcess.start(EtcdVersion.V3_4, member, "m1", peer, tmp.resolve("etcd.log"),
                java.util.List.of())) {
            java.util.Map<String, EtcdProcess.KeyValue> served = new java.util.HashMap<>();
            etcd.rangeAll().forEach(kv -> served.put(kv.key(), kv));
            assertEquals(truth.kvs().size(), served.size());
            for (EtcdProcess.KeyValue kv : truth.kvs()) {
                assertEquals(kv.key().startsWith("/registry/secrets/"),
                        !kv.value().equals(served.get(kv.key()).value()), kv.key());
                assertEquals(kv.modRevision(), served.get(kv.key()).modRevision(), kv.key());
            }
        }
    }

    /**
     * A state archive's meta.json records its records' content digest, which is what a crc32c checksum stage before
     * the archive sink reports; verify recomputes it, and a meta.json that names another (sums rewritten) is refused.
     */
    @Test
    void aStateArchivesContentDigestIsTheChecksumStagesAndVerifyRecomputesIt() throws Exception {
        Path backend = tmp.resolve("single.db");
        assertEquals(0, Launcher.run(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", backend.toString()).exit());
        Path conf = Files.writeString(tmp.resolve("seal.conf"), """
                pipeline {
                  source = { stage = state-source, backend = single.db }
                  stages = [ { stage = checksum, algorithm = crc32c } ]
                  sinks = [ { stage = archive-sink, out = single.snap } ]
                }
                """);
        Launcher.Result run = Launcher.run(tmp, "run", conf.toString(), "--json");
        assertEquals(0, run.exit(), run.stderr());
        String digest = "crc32c:" + new ObjectMapper().readTree(run.stdout()).at("/stages/2:checksum/hex").asText();
        Launcher.Result verify = Launcher.run(tmp, "verify", "single.snap", "--json");
        assertEquals(0, verify.exit(), verify.stderr());
        assertEquals(digest, new ObjectMapper().readTree(verify.stdout()).get("content_digest").asText());

        Path forged = ArchiveSurgery.pack(ArchiveSurgery.resummed(ArchiveSurgery.withMeta(ArchiveSurgery.entries(
                tmp.resolve("single.snap")), m -> m.put("content_digest", "crc32c:00000000"))), tmp.resolve("forged.snap"));
        Launcher.Result refused = Launcher.run(tmp, "verify", forged.toString());
        assertEquals(2, refused.exit(), refused.stderr());
        assertTrue(refused.stderr().contains("digest"), refused.stderr());
    }

    @Test
    void aPipelineWithAPluginStageGivesWhatTheBuiltInBackupGives() throws Exception {
        Path plugins = pluginJar(tmp.resolve("plugins")).getParent();
        Path key = Files.writeString(tmp.resolve("mask.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        Path wal = EtcdFixtures.walDir(single, "n1");
        Path conf = Files.writeString(tmp.resolve("backup.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  stages = [
                    { stage = resolve }
                    { stage = redact, mask-prefixes = ["/registry/secrets/"], mask-key-file = mask.key }
                    { stage = count-writes, out = counts.json }
                  ]
                  sinks = [
                    { stage = wal-sink, dir = "piped/member/wal" }
                    { stage = replay-sink, backend = piped.db }
                  ]
                }
                """.formatted(wal));
        Launcher.Result run = Launcher.run(tmp, "run", conf.toString(), "--plugins", plugins.toString(), "--json");
        assertEquals(0, run.exit(), run.stderr());
        JsonNode report = new ObjectMapper().readTree(run.stdout());
        assertTrue(report.at("/stages/4:count-writes").isObject(), "every stage that ran is listed: " + report);
        assertTrue(report.at("/stages/1:wal-source/record_counts/entry").asLong() > 0, "snake_case keys: " + report);
        assertTrue(report.at("/stages/6:replay-sink/cluster_id").asText().matches("[0-9a-f]+"), report.toString());
        JsonNode walSink = report.at("/stages/5:wal-sink");
        assertTrue(walSink.at("/hard_state/vote").asText().matches("[0-9a-f]+"),
                "IDs are written as etcd prints them, in hex: " + walSink);
        JsonNode counts = new ObjectMapper().readTree(tmp.resolve("counts.json").toFile());
        assertTrue(counts.path("/registry/secrets/").asLong() > 0, counts.toString());

        Launcher.Result backup = Launcher.run(tmp, "backup", "--data-dir", single.resolve("n1.etcd").toString(),
                "--backup-dir", tmp.resolve("builtin").toString(), "--mask-prefix", "/registry/secrets/",
                "--mask-key-file", key.toString(), "--backend", tmp.resolve("builtin.db").toString(), "--json");
        assertEquals(0, backup.exit(), backup.stderr());
        assertEquals(BackendRows.of(tmp.resolve("builtin.db")), BackendRows.of(tmp.resolve("piped.db")));
        assertEquals(Launcher.run(tmp, "wal", "dump", tmp.resolve("builtin/member/wal").toString()).stdout(),
                Launcher.run(tmp, "wal", "dump", tmp.resolve("piped/member/wal").toString()).stdout());
    }

    @Test
    void aDbSourceWithHistoryFeedsEveryStoredRevisionToAPluginSink() throws Exception {
        Path plugins = pluginJar(tmp.resolve("plugins")).getParent();
        Path db = single.resolve("n1.etcd/member/snap/db");
        Path conf = Files.writeString(tmp.resolve("history.conf"), """
                pipeline {
                  source = { stage = db-source, file = "%s", history = true }
                  sinks = [ { stage = revision-stats, out = stats.json } ]
                }
                """.formatted(db));
        Launcher.Result run = Launcher.run(tmp, "run", conf.toString(), "--plugins", plugins.toString());
        assertEquals(0, run.exit(), run.stderr());
        JsonNode stats = new ObjectMapper().readTree(tmp.resolve("stats.json").toFile());
        JsonNode inspected = new ObjectMapper().readTree(Launcher.run(tmp, "db", "inspect", db.toString(), "--json").stdout());
        assertEquals(inspected.get("stored_revisions").asLong(), stats.get("revisions").asLong(), stats.toString());
        assertEquals(inspected.get("revision").asLong(), stats.get("last_revision").asLong(), stats.toString());
        assertTrue(stats.get("tombstones").asLong() > 0, "the fixture deletes keys: " + stats);

        Path toState = Files.writeString(tmp.resolve("mismatch.conf"), """
                pipeline {
                  source = { stage = db-source, file = "%s", history = true }
                  sinks = [ { stage = db-sink, file = out.db } ]
                }
                """.formatted(db));
        Launcher.Result refused = Launcher.run(tmp, "run", toState.toString());
        assertEquals(1, refused.exit(), refused.stderr());
        assertTrue(refused.stderr().contains("consumes state records but receives key revisions"), refused.stderr());
        assertFalse(Files.exists(tmp.resolve("out.db")));
    }

    @Test
    void theBuiltInReplayRunsThePipelineTheConfigurationDefines() throws Exception {
        Path plugins = pluginJar(tmp.resolve("plugins")).getParent();
        Path wal = EtcdFixtures.walDir(single, "n1");
        Path counts = tmp.resolve("counts.json");
        Path conf = Files.writeString(tmp.resolve("extra.conf"), """
                raftpipe.plugins = "%s"
                raftpipe.pipelines.replay.stages = [ { stage = resolve }, { stage = count-writes, out = "%s" } ]
                """.formatted(plugins, counts));
        Launcher.Result plain = Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend",
                tmp.resolve("plain.db").toString());
        assertEquals(0, plain.exit(), plain.stderr());
        assertFalse(Files.exists(counts));

        Launcher.Result counted = Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend",
                tmp.resolve("counted.db").toString(), "--config", conf.toString());
        assertEquals(0, counted.exit(), counted.stderr());
        assertTrue(new ObjectMapper().readTree(counts.toFile()).path("/registry/secrets/").asLong() > 0,
                "the plugin stage ran inside replay: " + Files.readString(counts));
        assertEquals(BackendRows.of(tmp.resolve("plain.db")), BackendRows.of(tmp.resolve("counted.db")));
    }

    /** Hook points: a stage after resolve sees the log as the WAL has it, one after redact what the backup holds. */
    @Test
    void theBackupsHookPointsRunPluginStagesBeforeAndAfterRedaction() throws Exception {
        Path plugins = pluginJar(tmp.resolve("plugins")).getParent();
        Path wal = EtcdFixtures.walDir(single, "n1");
        Path before = tmp.resolve("before.json");
        Path after = tmp.resolve("after.json");
        Path conf = Files.writeString(tmp.resolve("hooks.conf"), """
                raftpipe.plugins = "%s"
                raftpipe.hooks.backup.after-resolve = [ { stage = count-writes, out = "%s" } ]
                raftpipe.hooks.backup.after-redact = [ { stage = count-writes, out = "%s" } ]
                """.formatted(plugins, before, after));
        Launcher.Result r = Launcher.run(tmp, "backup", "--data-dir", wal.getParent().getParent().toString(),
                "--backup-dir", tmp.resolve("hooked").toString(), "--redact-prefix", "/registry/secrets/",
                "--config", conf.toString());
        assertEquals(0, r.exit(), r.stderr());
        JsonNode seen = new ObjectMapper().readTree(before.toFile());
        JsonNode kept = new ObjectMapper().readTree(after.toFile());
        assertTrue(seen.path("/registry/secrets/").asLong() > 0, seen.toString());
        assertFalse(kept.has("/registry/secrets/"), "redacted before the second hook: " + kept);
        assertEquals(seen.path("/registry/pods/").asLong(), kept.path("/registry/pods/").asLong());
        assertTrue(kept.path("/registry/pods/").asLong() > 0, kept.toString());

        Path typo = Files.writeString(tmp.resolve("typo.conf"), """
                raftpipe.plugins = "%s"
                raftpipe.hooks.backup.after-redaction = [ { stage = count-writes, out = "%s" } ]
                """.formatted(plugins, tmp.resolve("never.json")));
        Launcher.Result refused = Launcher.run(tmp, "backup", "--data-dir", wal.getParent().getParent().toString(),
                "--backup-dir", tmp.resolve("never").toString(), "--config", typo.toString());
        assertEquals(1, refused.exit(), refused.stderr());
        assertTrue(refused.stderr().contains("typo.conf:2") && refused.stderr().contains("after-redact"),
                refused.stderr());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("never")).toList(),
                    "nothing written, not even a temporary directory");
        }
    }

    /** The pipeline example of docs/commands.md, examples/pipeline.conf, run as it says with the plugin JAR the build makes. */
    @Test
    void theReadmesPipelineExampleRunsAsWrittenWithTheBuiltPlugin() throws Exception {
        Path plugins = pluginJar(tmp.resolve("plugins")).getParent();
        EtcdFixtures.extract("single", tmp);
        Path conf = Files.copy(EtcdFixtures.examplesDir().resolve("pipeline.conf"), tmp.resolve("pipeline.conf"));
        Files.write(tmp.resolve("mask.key"), new byte[32]);
        Launcher.Result run = Launcher.run(tmp, "run", conf.toString(), "--plugins", plugins.toString());
        assertEquals(0, run.exit(), run.stderr());
        // depth 3, the plugin's own reference.conf default
        JsonNode counts = new ObjectMapper().readTree(tmp.resolve("counts.json").toFile());
        assertTrue(counts.path("/registry/secrets/").asLong() > 0, counts.toString());
        assertEquals(BackendRows.of(tmp.resolve("backup.db")), BackendRows.of(replayOf(tmp.resolve("backup/member/wal"))));
    }

    @Test
    void aPluginReadsItsDefaultsFromItsOwnReferenceConfAndABadNumberIsOneLineWithFileAndLine() throws Exception {
        Path plugins = pluginJar(tmp.resolve("plugins")).getParent();
        Path wal = EtcdFixtures.walDir(single, "n1");
        Path shallow = Files.writeString(tmp.resolve("shallow.conf"), "raftpipe.example.count-writes.depth = 2\n");
        Path conf = Files.writeString(tmp.resolve("count.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  stages = [ { stage = count-writes, out = counts.json } ]
                  sinks = [ { stage = wal-sink, dir = "copy/member/wal" } ]
                }
                """.formatted(wal));
        Launcher.Result run = Launcher.run(tmp, "run", conf.toString(), "--plugins", plugins.toString(),
                "--config", shallow.toString());
        assertEquals(0, run.exit(), run.stderr());
        JsonNode counts = new ObjectMapper().readTree(tmp.resolve("counts.json").toFile());
        assertTrue(counts.path("/registry/").asLong() > 0, "depth 2 from the configuration: " + counts);
        assertFalse(counts.has("/registry/secrets/"), counts.toString());

        Path bad = Files.writeString(tmp.resolve("bad.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  stages = [
                    { stage = count-writes, out = counts2.json, depth = many }
                  ]
                  sinks = [ { stage = wal-sink, dir = "copy2/member/wal" } ]
                }
                """.formatted(wal));
        Launcher.Result refused = Launcher.run(tmp, "run", bad.toString(), "--plugins", plugins.toString());
        assertEquals(1, refused.exit(), refused.stderr());
        assertTrue(refused.stderr().contains("bad.conf:4") && refused.stderr().contains("depth"), refused.stderr());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertFalse(Files.exists(tmp.resolve("copy2")), "nothing written");
    }

    private Path replayOf(Path wal) throws Exception {
        Path db = tmp.resolve("replayed-" + wal.getParent().getParent().getFileName() + ".db");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", wal.toString(), "--backend", db.toString());
        assertEquals(0, r.exit(), r.stderr());
        return db;
    }

    /** A replay needs a resolved log: raw WAL records into a replay sink applied nothing and said nothing before. */
    @Test
    void aReplaySinkAfterAnUnresolvedSourceIsRefusedBeforeAnythingRuns() throws Exception {
        Path conf = Files.writeString(tmp.resolve("unresolved.conf"), """
                pipeline {
                  source = { stage = wal-source, dir = "%s" }
                  stages = [ { stage = redact, redact-prefixes = ["/x/"] } ]
                  sinks = [ { stage = replay-sink, backend = never.db } ]
                }
                """.formatted(EtcdFixtures.walDir(single, "n1")));
        Launcher.Result r = Launcher.run(tmp, "run", conf.toString());
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("unresolved.conf:4") && r.stderr().contains("stage = resolve"), r.stderr());
        assertFalse(Files.exists(tmp.resolve("never.db")));
    }

    @Test
    void aBuiltInPipelineWithoutTheStageItsCommandNeedsIsRefusedBeforeAnyOutput() throws Exception {
        Path conf = Files.writeString(tmp.resolve("broken.conf"), "raftpipe.pipelines.replay.stages = []\n");
        Launcher.Result r = Launcher.run(tmp, "replay", "--wal-dir", EtcdFixtures.walDir(single, "n1").toString(),
                "--backend", tmp.resolve("b.db").toString(), "--config", conf.toString());
        assertEquals(1, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("raftpipe.pipelines.replay") && r.stderr().contains("'resolve'"), r.stderr());
        assertFalse(Files.exists(tmp.resolve("b.db")), "nothing written");
    }

    @Test
    void brokenPipelineFilesFailBeforeAnyOutput() throws Exception {
        Path wal = EtcdFixtures.walDir(single, "n1");
        String[][] cases = {
                {"unknown stage", "pipeline { source = { stage = wal-source, dir = \"%s\" }\n sinks = [ { stage = no-such-stage } ] }",
                        "unknown stage 'no-such-stage'"},
                {"type mismatch", "pipeline { source = { stage = state-source, backend = x.db }\n sinks = [ { stage = wal-sink, dir = out } ] }",
                        "consumes WAL records but receives state records"},
                {"missing setting", "pipeline { source = { stage = wal-source }\n sinks = [ { stage = wal-sink, dir = out } ] }",
                        "stage 'wal-source'"},
                {"bad value", "pipeline { source = { stage = wal-source, dir = \"%s\" }\n stages = [ { stage = redact,\n keep-membership = maybe } ]\n sinks = [ { stage = wal-sink, dir = out } ] }",
                        "stage 'redact'"},
                {"misspelled setting", "pipeline { source = { stage = wal-source, dir = \"%s\" }\n stages = [ { stage = resolve }, { stage = redact,\n mask-prefix = [\"/registry/secrets/\"] } ]\n sinks = [ { stage = wal-sink, dir = out } ] }",
                        "unknown setting 'mask-prefix'"},
        };
        for (String[] c : cases) {
            Path conf = Files.writeString(tmp.resolve("broken.conf"), c[1].formatted(wal));
            Launcher.Result r = Launcher.run(tmp, "run", conf.toString());
            assertEquals(1, r.exit(), c[0] + ": " + r.stderr());
            assertEquals(1, r.stderr().lines().count(), c[0] + ": " + r.stderr());
            assertTrue(r.stderr().contains(c[2]), c[0] + ": " + r.stderr());
            assertTrue(r.stderr().contains("broken.conf:"), c[0] + " names the file and line: " + r.stderr());
            assertFalse(Files.exists(tmp.resolve("out")), c[0] + ": nothing written");
        }
    }
}
