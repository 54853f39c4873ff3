package dev.raftpipe.stages;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.redact.RedactionPolicy;
import dev.raftpipe.codecs.wal.WalRecord;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.testing.EtcdFixtures;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redaction on the single fixture, whose workload writes /registry/secrets/ with puts and txns. */
class RedactionTest extends StreamTestSupport {
    static final byte[] SECRETS = "/registry/secrets/".getBytes(StandardCharsets.UTF_8);
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path fixtures;
    static Path single;
    static Map<String, StateRecord.KeyValue> original;

    @TempDir
    Path tmp;

    @BeforeAll
    static void replayOriginal() throws Exception {
        single = EtcdFixtures.extract("single", fixtures);
        Path db = fixtures.resolve("original.db");
        await(WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                .via(RaftLog.resolve()).runWith(BackendReplaySink.to(db, BackendReplaySettings.create()), system));
        original = keys(db);
    }

    static Map<String, StateRecord.KeyValue> keys(Path db) {
        Map<String, StateRecord.KeyValue> out = new LinkedHashMap<>();
        try (BackendSnapshot s = Backend.snapshot(db)) {
            s.forEachKeyValue(kv -> out.put(new String(kv.key(), StandardCharsets.UTF_8), kv));
        }
        return out;
    }

    /** Redacts the fixture's WAL into a new WAL and a backend; returns the summary. */
    RedactionSummary redact(RedactionPolicy policy, Path wal, Path db) throws Exception {
        // the WAL sink's own value is awaited too: it publishes its directory when it completes, not with the backend
        Pair<Pair<CompletionStage<RedactionSummary>, CompletionStage<WalWriteSummary>>, CompletionStage<ReplaySummary>> m =
                WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                        .via(RaftLog.resolve())
                        .viaMat(Redaction.flow(policy), Keep.right())
                        .alsoToMat(WalSink.toDirectory(wal, WalSinkSettings.create().withFsync(false).withPreallocate(false)),
                                Keep.both())
                        .toMat(BackendReplaySink.to(db, BackendReplaySettings.create()), Keep.both())
                        .run(system);
        ReplaySummary replay = await(m.second());
        assertEquals(417, replay.meta().consistentIndex(), "no index shifts");
        await(m.first().second());
        return await(m.first().first());
    }

    @Test
    void maskingKeepsEveryRevisionAndHidesEveryMaskedValue() throws Exception {
        Path wal = tmp.resolve("masked/member/wal");
        Path db = tmp.resolve("masked.db");
        RedactionSummary s = redact(new RedactionPolicy(List.of(), List.of(SECRETS), KEY, true), wal, db);
        assertTrue(s.maskedValues() > 50, s.toString());
        assertEquals(417, s.entries());
        Map<String, StateRecord.KeyValue> masked = keys(db);
        assertEquals(original.keySet(), masked.keySet());
        List<byte[]> secrets = new ArrayList<>();
        original.forEach((key, kv) -> {
            StateRecord.KeyValue m = masked.get(key);
            assertEquals(List.of(kv.createRevision(), kv.modRevision(), kv.version(), kv.lease()),
                    List.of(m.createRevision(), m.modRevision(), m.version(), m.lease()), key);
            if (key.startsWith("/registry/secrets/")) {
                assertNotEquals(new String(kv.value(), StandardCharsets.UTF_8), new String(m.value(), StandardCharsets.UTF_8));
                assertTrue(new String(m.value(), StandardCharsets.UTF_8).startsWith("raftpipe-masked:"));
                secrets.add(kv.value());
            } else {
                assertEquals(kv, m, key);
            }
        });
        assertFalse(secrets.isEmpty());
        assertNoneIn(wal, secrets);
    }

    @Test
    void droppingRemovesThePrefixAndKeepsIndexes() throws Exception {
        Path wal = tmp.resolve("dropped/member/wal");
        Path db = tmp.resolve("dropped.db");
        RedactionSummary s = redact(new RedactionPolicy(List.of(SECRETS), List.of(), null, true), wal, db);
        assertTrue(s.dropped() > 0 && s.droppedTxns() > 0, s.toString());
        Map<String, StateRecord.KeyValue> dropped = keys(db);
        assertTrue(dropped.keySet().stream().noneMatch(k -> k.startsWith("/registry/secrets/")));
        // every other key keeps its value, except those a dropped txn wrote (the summary counts them)
        long differing = original.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("/registry/secrets/"))
                .filter(e -> dropped.get(e.getKey()) == null
                        || !java.util.Arrays.equals(e.getValue().value(), dropped.get(e.getKey()).value()))
                .count();
        assertTrue(differing <= s.otherKeysInDroppedTxns(), differing + " keys differ; " + s);
        assertTrue(dropped.size() > original.size() / 2);
        List<byte[]> secrets = original.entrySet().stream().filter(e -> e.getKey().startsWith("/registry/secrets/"))
                .map(e -> e.getValue().value()).toList();
        assertNoneIn(wal, secrets);
    }

    @Test
    void strippingMembershipTurnsConfChangesIntoNoops() throws Exception {
        List<WalRecord> out = await(WalSource.fromDirectory(EtcdFixtures.walDir(single, "n1"), WalSourceSettings.create())
                .via(RaftLog.resolve())
                .via(Redaction.flow(new RedactionPolicy(List.of(), List.of(), null, false)))
                .runWith(Sink.seq(), system));
        WalRecord.EntryRecord first = (WalRecord.EntryRecord) out.stream()
                .filter(r -> r instanceof WalRecord.EntryRecord).findFirst().orElseThrow();
        assertEquals(1, first.entry().index());
        assertTrue(first.entry().isNoop(), "index 1 was the member's conf change");
    }

    private static void assertNoneIn(Path walDir, List<byte[]> values) throws Exception {
        try (var files = Files.list(walDir)) {
            for (Path f : files.toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (byte[] v : values) {
                    assertFalse(indexOf(bytes, v) >= 0, "an original value appears in " + f.getFileName() + ": "
                            + new String(v, StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
