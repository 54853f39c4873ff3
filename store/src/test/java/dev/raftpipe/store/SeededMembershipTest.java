package dev.raftpipe.store;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.raft.ConfChange;
import dev.raftpipe.codecs.raft.ConfChangeType;
import dev.raftpipe.codecs.raft.Entry;
import dev.raftpipe.codecs.raft.EntryType;
import dev.raftpipe.codecs.raft.RaftMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backend seeded from an etcd db: its keyspace is as of consistent_index 10, its membership as of the .snap
 * at index 5. Entries 6..10 change membership only (etcd applies conf changes on start), the entry at 10 gives
 * the term a 3.4 db does not record, and entries above 10 apply in full.
 */
class SeededMembershipTest {
    @TempDir
    Path tmp;

    @Test
    void confChangesBetweenTheSnapAndConsistentIndexStillApplyToMembership() {
        Path file = tmp.resolve("b.db");
        try (BackendRestore r = BackendRestore.begin(file, RestoreOptions.defaults().withMembershipIndex(5))) {
            r.accept(new StateRecord.Meta(10, 0, 4, 0, List.of(1L), List.of(), "3.4.0", "normal"));
            r.accept(new StateRecord.Member(1, "m1", List.of("http://127.0.0.1:1"), List.of(), false));
            r.accept(new StateRecord.KeyValue(bytes("a"), bytes("1"), 2, 4, 3, 0));
            r.commit();
        }
        Log log = new Log().startingAt(4);
        log.noop().noop();
        List<Entry> entries = new ArrayList<>(log.take());
        entries.add(addMember(7, 2));
        Log rest = new Log().startingAt(8);
        rest.put("b", "lost").noop().put("a", "at-ci");
        entries.addAll(rest.take());
        entries.set(entries.size() - 1, withTerm(entries.get(entries.size() - 1), 3));

        try (Backend backend = Backend.open(file, BackendSettings.create())) {
            BatchResult first = backend.apply(entries);
            assertEquals(0, first.applied());
            assertEquals(3, backend.meta().term(), "the term of the entry at consistent_index");
            assertEquals(List.of(1L, 2L), backend.meta().confState().voters());
            BatchResult again = backend.apply(entries);
            assertEquals(0, again.applied(), "a re-run changes nothing");

            Log tail = new Log().startingAt(11);
            backend.apply(tail.put("c", "new").take());
        }
        try (BackendSnapshot s = Backend.snapshot(file)) {
            List<String> keys = new ArrayList<>();
            s.forEachKeyValue(kv -> keys.add(new String(kv.key(), StandardCharsets.UTF_8) + "="
                    + new String(kv.value(), StandardCharsets.UTF_8)));
            assertEquals(List.of("a=1", "c=new"), keys, "entries at or below consistent_index change no key");
            assertEquals(2, s.members().size());
            assertTrue(s.members().stream().anyMatch(m -> m.id() == 2 && m.peerUrls().equals(List.of("http://127.0.0.1:2"))));
            assertEquals(11, s.meta().consistentIndex());
        }
    }

    @Test
    void aBackendRestoredWithoutAMembershipIndexSkipsConfChangesAsBefore() {
        Path file = tmp.resolve("b.db");
        try (BackendRestore r = BackendRestore.begin(file, false)) {
            r.accept(new StateRecord.Meta(10, 2, 4, 0, List.of(1L), List.of(), "3.4.0", "normal"));
            r.accept(new StateRecord.Member(1, "m1", List.of("http://127.0.0.1:1"), List.of(), false));
            r.commit();
        }
        try (Backend backend = Backend.open(file, BackendSettings.create())) {
            backend.apply(List.of(addMember(7, 2)));
            assertEquals(List.of(1L), backend.meta().confState().voters());
        }
        try (BackendSnapshot s = Backend.snapshot(file)) {
            assertFalse(s.members().stream().anyMatch(m -> m.id() == 2));
        }
    }

    private static Entry addMember(long index, long id) {
        String ctx = "{\"id\":" + id + ",\"peerURLs\":[\"http://127.0.0.1:" + id + "\"],\"name\":\"\",\"isLearner\":false}";
        byte[] data = RaftMessages.encodeConfChange(new ConfChange(index, ConfChangeType.ADD_NODE, id,
                ctx.getBytes(StandardCharsets.UTF_8)));
        return new Entry(2, index, EntryType.CONF_CHANGE, data);
    }

    private static Entry withTerm(Entry e, long term) {
        return new Entry(term, e.index(), e.type(), e.data());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
