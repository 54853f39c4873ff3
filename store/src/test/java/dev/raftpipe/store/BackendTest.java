package dev.raftpipe.store;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.internal.proto.RaftInternalProtos.TxnRequest;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** etcd's v3 apply semantics on the SQLite backend, entry by entry. */
class BackendTest {
    private static final int EQUAL = 0;
    private static final int GREATER = 1;
    private static final int LESS = 2;
    private static final int NOT_EQUAL = 3;
    private static final int VERSION = 0;
    private static final int CREATE = 1;
    private static final int MOD = 2;

    @TempDir
    Path tmp;
    Path file;
    Backend backend;
    final Log log = new Log();

    @BeforeEach
    void open() {
        file = tmp.resolve("backend.db");
        backend = Backend.open(file, BackendSettings.create());
    }

    @AfterEach
    void close() {
        backend.close();
    }

    BatchResult apply() {
        return backend.apply(log.take());
    }

    Map<String, StateRecord.KeyValue> kvs() {
        Map<String, StateRecord.KeyValue> out = new LinkedHashMap<>();
        try (BackendSnapshot s = Backend.snapshot(file)) {
            s.forEachKeyValue(kv -> out.put(new String(kv.key(), StandardCharsets.UTF_8), kv));
        }
        return out;
    }

    StateRecord.KeyValue kv(String key) {
        return kvs().get(key);
    }

    static String value(StateRecord.KeyValue kv) {
        return new String(kv.value(), StandardCharsets.UTF_8);
    }

    @Test
    void deletingABackendRemovesItsSideFilesAndNothingElse() throws Exception {
        Files.writeString(tmp.resolve("backend.db.keep"), "not ours");
        Files.writeString(Backend.sideFiles(file).get(2), "a leftover rollback journal");
        assertTrue(Files.exists(Backend.sideFiles(file).get(0)), "an open backend in WAL mode has its -wal");
        backend.close();
        Backend.delete(file);
        assertFalse(Files.exists(file));
        for (Path side : Backend.sideFiles(file)) {
            assertFalse(Files.exists(side), side.toString());
        }
        assertTrue(Files.exists(tmp.resolve("backend.db.keep")));
        Backend.delete(file); // nothing there: not an error
        backend = Backend.open(file, BackendSettings.create());
    }

    @Test
    void aNewBackendIsEtcdsEmptyStore() {
        BackendMeta m = backend.meta();
        assertEquals(0, m.consistentIndex());
        assertEquals(1, m.revision(), "an empty etcd serves revision 1");
        try (BackendSnapshot s = Backend.snapshot(file)) {
            assertEquals(m, s.meta());
        }
    }

    /**
     * A revision limit: entries that do not write still apply at the limit, the first that would pass it is left out
     * with everything after it (undone under a savepoint), and the state and meta are those before it.
     */
    @Test
    void aRevisionLimitStopsBeforeTheFirstEntryThatWouldPassIt() {
        log.put("a", "1").put("b", "2").grant(7, 60).delete("nothing", "").noop().put("c", "3").put("d", "4");
        BatchResult r = backend.apply(log.take(), 3);
        assertEquals(5, r.applied(), "two puts to revision 3, then three entries that do not write");
        assertEquals(6, r.stoppedBefore());
        assertEquals(3, backend.meta().revision());
        assertEquals(5, backend.meta().consistentIndex());
        assertEquals(List.of("a", "b"), List.copyOf(kvs().keySet()));
        assertArrayEquals(new long[] {2, 3, 3, 3, 3}, r.revisions());
        backend.close();
        backend = Backend.open(file, BackendSettings.create());
        assertEquals(5, backend.meta().consistentIndex(), "what the limit kept was committed");
        log.startingAt(6).put("c", "3");
        assertEquals(4, backend.apply(log.take()).revision(), "the entry left out applies later as any other");
    }

    @Test
    void putsCountVersionsAndKeepTheCreateRevision() {
        log.put("a", "1").put("a", "2").put("b", "x");
        BatchResult r = apply();
        assertEquals(3, r.applied());
        assertEquals(4, r.revision());
        assertEquals(new StateRecord.KeyValue(bytes("a"), bytes("2"), 2, 3, 2, 0), kv("a"));
        assertEquals(new StateRecord.KeyValue(bytes("b"), bytes("x"), 4, 4, 1, 0), kv("b"));
    }

    @Test
    void anEmptyValueIsStoredAsEmpty() {
        log.put("a", "");
        apply();
        assertArrayEquals(new byte[0], kv("a").value());
    }

    @Test
    void aDeletedKeyStartsOverWhenPutAgain() {
        log.put("a", "1").put("a", "2").delete("a", "").put("a", "3");
        apply();
        assertEquals(new StateRecord.KeyValue(bytes("a"), bytes("3"), 5, 5, 1, 0), kv("a"));
        assertEquals(5, backend.meta().revision());
    }

    @Test
    void deletingNothingDoesNotMoveTheRevision() {
        log.put("a", "1").delete("zzz", "").delete("b", "c");
        BatchResult r = apply();
        assertEquals(3, r.applied());
        assertEquals(3, r.consistentIndex());
        assertEquals(2, r.revision());
    }

    @Test
    void deleteRangesFollowEtcdsRangeEnd() {
        log.put("a", "").put("b", "").put("c", "").put("d", "").put("e", "");
        log.delete("b", "d"); // [b, d)
        apply();
        assertEquals(List.of("a", "d", "e"), List.copyOf(kvs().keySet()));
        log.delete("d", "\0"); // every key >= d, one revision for both
        BatchResult r = apply();
        assertEquals(List.of("a"), List.copyOf(kvs().keySet()));
        assertEquals(8, r.revision());
    }

    @Test
    void aPutWithAnUnknownLeaseChangesNothing() {
        log.put("a", "1", 42);
        BatchResult r = apply();
        assertEquals(Map.of("lease not found", 1L), r.rejected());
        assertEquals(1, r.revision());
        assertEquals(1, r.consistentIndex(), "a failed request is still applied: the index moves");
        assertTrue(kvs().isEmpty());
    }

    @Test
    void revokingALeaseDeletesItsKeysInOneRevision() {
        log.grant(7, 60).put("a", "1", 7).put("b", "2", 7).put("c", "3").put("b", "2b", 0);
        apply();
        assertEquals(7, kv("a").lease());
        assertEquals(0, kv("b").lease(), "a later put without lease detaches the key");
        log.put("d", "4", 7).revoke(7);
        BatchResult r = apply();
        assertEquals(List.of("b", "c"), List.copyOf(kvs().keySet()));
        assertEquals(7, r.revision(), "puts at 2..6, the revoke deletes a and d at 7");
        log.revoke(7).put("e", "5", 7);
        assertEquals(Map.of("lease not found", 2L), apply().rejected());
    }

    @Test
    void leaseGrantsFollowTheLessor() {
        log.grant(5, 1).grant(5, 30).grant(0, 30).grant(6, 30);
        BatchResult r = apply();
        assertEquals(Map.of("lease already exists", 1L, "lease not found", 1L), r.rejected());
        List<StateRecord.Lease> leases = new java.util.ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(file)) {
            s.forEachLease(leases::add);
        }
        assertEquals(List.of(new StateRecord.Lease(5, 2, 0), new StateRecord.Lease(6, 30, 0)), leases, "short TTLs rise to the minimum");
    }

    @Test
    void ignoreValueAndIgnoreLeaseKeepWhatTheKeyHad() {
        log.grant(3, 60).put("a", "1", 3);
        log.put(Log.putRequest("a", "", 0).setIgnoreValue(true).setIgnoreLease(true));
        log.put(Log.putRequest("missing", "", 0).setIgnoreValue(true));
        BatchResult r = apply();
        assertEquals(Map.of("key not found", 1L), r.rejected());
        assertEquals(new StateRecord.KeyValue(bytes("a"), bytes("1"), 2, 3, 2, 3), kv("a"), "a lease grant takes no revision");
        assertEquals(3, r.revision());
    }

    @Test
    void aTxnWithWritesTakesOneRevision() {
        log.txn(TxnRequest.newBuilder()
                .addCompare(Log.compare("a", "", VERSION, EQUAL, 0))
                .addSuccess(Log.putOp("a", "1")).addSuccess(Log.putOp("b", "2"))
                .addFailure(Log.putOp("failed", "x")));
        BatchResult r = apply();
        assertEquals(2, r.revision());
        assertEquals(2, kv("a").modRevision());
        assertEquals(2, kv("b").modRevision());
        // now version(a) = 1: the failure branch runs
        log.txn(TxnRequest.newBuilder()
                .addCompare(Log.compare("a", "", VERSION, EQUAL, 0))
                .addSuccess(Log.putOp("a", "again"))
                .addFailure(Log.deleteOp("b", "")).addFailure(Log.putOp("c", "3")));
        r = apply();
        assertEquals(3, r.revision());
        assertEquals(List.of("a", "c"), List.copyOf(kvs().keySet()));
        assertEquals("1", value(kv("a")));
    }

    @Test
    void aTxnThatChangesNothingTakesNoRevision() {
        log.put("a", "1");
        log.txn(TxnRequest.newBuilder().addCompare(Log.valueCompare("a", "", EQUAL, "1"))
                .addSuccess(Log.rangeOp("a", 0)).addSuccess(Log.deleteOp("nope", "")));
        assertEquals(2, apply().revision());
    }

    @Test
    void comparesCoverEveryTargetAndResult() {
        log.grant(9, 60).put("k", "m", 9).put("k", "n", 9); // create 2, mod 3, version 2, lease 9, value n
        apply();
        String[][] cases = {
                // target, result, operand, expected
                {"version", "=", "2", "true"}, {"version", ">", "1", "true"}, {"version", "<", "2", "false"},
                {"version", "!=", "2", "false"}, {"create", "=", "2", "true"}, {"create", "<", "3", "true"},
                {"mod", "=", "3", "true"}, {"mod", ">", "3", "false"}, {"lease", "=", "9", "true"},
                {"lease", "!=", "0", "true"}, {"value", "=", "n", "true"}, {"value", ">", "m", "true"},
                {"value", "<", "n", "false"}, {"value", "!=", "n", "false"},
        };
        for (String[] c : cases) {
            int result = switch (c[1]) {
                case "=" -> EQUAL;
                case ">" -> GREATER;
                case "<" -> LESS;
                default -> NOT_EQUAL;
            };
            var cmp = c[0].equals("value") ? Log.valueCompare("k", "", result, c[2])
                    : Log.compare("k", "", List.of("version", "create", "mod", "", "lease").indexOf(c[0]), result,
                    Long.parseLong(c[2]));
            assertEquals(Boolean.parseBoolean(c[3]), txnSucceeds(cmp), String.join(" ", c));
        }
    }

    @Test
    void comparesOnMissingKeysAndRanges() {
        log.put("r/1", "a").put("r/2", "b");
        apply();
        // a missing key compares as a zero StateRecord.KeyValue, except that its value never compares
        assertTrue(txnSucceeds(Log.compare("missing", "", CREATE, EQUAL, 0)));
        assertFalse(txnSucceeds(Log.valueCompare("missing", "", EQUAL, "")));
        assertFalse(txnSucceeds(Log.valueCompare("missing", "", NOT_EQUAL, "x")));
        // every key of a range must pass
        assertTrue(txnSucceeds(Log.compare("r/", "r0", VERSION, EQUAL, 1)));
        assertFalse(txnSucceeds(Log.compare("r/", "r0", MOD, EQUAL, 2)));
        assertTrue(txnSucceeds(Log.compare("r/", "\0", MOD, GREATER, 1)));
        assertTrue(txnSucceeds(Log.compare("s/", "s0", CREATE, EQUAL, 0)), "an empty range compares a zero kv");
    }

    private boolean txnSucceeds(dev.raftpipe.codecs.internal.proto.RaftInternalProtos.Compare cmp) {
        long before = backend.meta().revision();
        log.txn(TxnRequest.newBuilder().addCompare(cmp)
                .addSuccess(Log.putOp("probe", "yes")).addFailure(Log.putOp("probe", "no")));
        apply();
        assertEquals(before + 1, backend.meta().revision());
        String outcome = value(kv("probe"));
        log.delete("probe", "");
        apply();
        return outcome.equals("yes");
    }

    @Test
    void nestedTxnsDecideOnTheStoreAsTheOuterTxnFoundIt() {
        TxnRequest.Builder inner = TxnRequest.newBuilder()
                .addCompare(Log.compare("a", "", VERSION, EQUAL, 0)) // true before the outer put of a
                .addSuccess(Log.putOp("inner", "saw-no-a")).addFailure(Log.putOp("inner", "saw-a"));
        log.txn(TxnRequest.newBuilder()
                .addSuccess(Log.putOp("a", "1")).addSuccess(Log.txnOp(inner))
                .addSuccess(Log.txnOp(TxnRequest.newBuilder().addCompare(Log.compare("zz", "", VERSION, GREATER, 0))
                        .addSuccess(Log.putOp("second", "s")).addFailure(Log.putOp("second", "f")))));
        BatchResult r = apply();
        assertEquals(2, r.revision());
        assertEquals("saw-no-a", value(kv("inner")));
        assertEquals("f", value(kv("second")));
        assertEquals(2, kv("second").modRevision());
    }

    @Test
    void aTxnFailsWholeWhenAPutInItsBranchCannotApply() {
        log.put("a", "1");
        log.txn(TxnRequest.newBuilder().addSuccess(Log.putOp("b", "2"))
                .addSuccess(Log.txnOp(TxnRequest.newBuilder().addSuccess(
                        dev.raftpipe.codecs.internal.proto.RaftInternalProtos.RequestOp.newBuilder()
                                .setRequestPut(Log.putRequest("c", "3", 99)).build()))));
        BatchResult r = apply();
        assertEquals(Map.of("lease not found", 1L), r.rejected());
        assertEquals(List.of("a"), List.copyOf(kvs().keySet()));
        assertEquals(2, r.revision());
    }

    @Test
    void compactionMovesTheCompactRevisionOnly() {
        log.put("a", "1").put("a", "2").put("b", "3").compact(3).compact(3).compact(99);
        BatchResult r = apply();
        assertEquals(Map.of("revision compacted", 1L, "future revision", 1L), r.rejected());
        assertEquals(3, backend.meta().compactRevision());
        assertEquals(4, backend.meta().revision());
        assertEquals(2, kvs().size());
        // a txn reading a compacted or future revision fails as a whole
        log.txn(TxnRequest.newBuilder().addSuccess(Log.rangeOp("a", 2)).addSuccess(Log.putOp("c", "x")));
        log.txn(TxnRequest.newBuilder().addSuccess(Log.rangeOp("a", 5)).addSuccess(Log.putOp("c", "x")));
        log.txn(TxnRequest.newBuilder().addSuccess(Log.rangeOp("a", 3)).addSuccess(Log.putOp("c", "y")));
        r = apply();
        assertEquals(Map.of("revision compacted", 1L, "future revision", 1L), r.rejected());
        assertEquals("y", value(kv("c")));
    }

    @Test
    void aNoSpaceAlarmCapsWritesUntilItIsCleared() {
        log.put("a", "1").alarm(1, 0xabc, 1);
        log.put("b", "2").delete("a", "").grant(1, 60);
        log.txn(TxnRequest.newBuilder().addSuccess(Log.putOp("c", "3")));
        BatchResult r = apply();
        assertEquals(Map.of("no space (NOSPACE alarm)", 3L), r.rejected());
        assertTrue(kvs().isEmpty(), "deletes still apply");
        log.alarm(2, 0xabc, 1).put("b", "2");
        apply();
        assertEquals(List.of("b"), List.copyOf(kvs().keySet()));
    }

    @Test
    void theAlarmModeSurvivesReopening() {
        log.alarm(1, 0xabc, 2);
        apply();
        backend.close();
        backend = Backend.open(file, BackendSettings.create());
        log.put("a", "1");
        assertEquals(Map.of("corrupt (CORRUPT alarm)", 1L), apply().rejected());
    }

    @Test
    void theAppliedIndexGuardSkipsWhatIsAlreadyApplied() {
        log.put("a", "1").put("b", "2");
        List<Entry> first = log.take();
        backend.apply(first);
        log.startingAt(1).put("a", "1").put("b", "2").put("c", "3");
        BatchResult r = apply();
        assertEquals(2, r.skipped());
        assertEquals(1, r.applied());
        assertEquals(3, r.firstApplied());
        assertEquals(3, r.lastApplied());
        BatchResult again = backend.apply(first);
        assertEquals(0, again.applied());
        assertEquals(2, again.skipped());
        assertEquals(4, backend.meta().revision());
    }

    @Test
    void aGapAppliesNothingOfTheBatch() {
        log.put("a", "1");
        apply();
        log.startingAt(2).put("b", "2").noop();
        log.startingAt(5).put("c", "3");
        IndexGuardException e = assertThrows(IndexGuardException.class, this::apply);
        assertEquals(3, e.consistentIndex());
        assertEquals(5, e.entryIndex());
        assertEquals(1, backend.meta().consistentIndex());
        assertEquals(List.of("a"), List.copyOf(kvs().keySet()));
        // the backend is still usable after the rollback
        log.startingAt(2).put("b", "2");
        assertEquals(1, apply().applied());
    }

    @Test
    void aFreshBackendRefusesAWalThatDoesNotStartAtOne() {
        log.startingAt(100).put("a", "1");
        assertThrows(IndexGuardException.class, this::apply);
        assertTrue(kvs().isEmpty());
    }

    @Test
    void undecodableEntriesFailLoudly() {
        log.put("a", "1").raw(EntryType.NORMAL, new byte[]{(byte) 0xff, (byte) 0xff, 0x01});
        ApplyException e = assertThrows(ApplyException.class, this::apply);
        assertEquals(2, e.index());
        assertTrue(kvs().isEmpty(), "the batch rolled back");
    }

    @Test
    void consistentIndexAndTermAreWrittenWithEveryBatch() {
        log.put("a", "1").noop().noop();
        apply();
        try (BackendSnapshot s = Backend.snapshot(file)) {
            assertEquals(3, s.meta().consistentIndex());
            assertEquals(1, s.meta().term());
            assertEquals(2, s.meta().revision());
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
