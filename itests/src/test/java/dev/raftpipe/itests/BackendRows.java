package dev.raftpipe.itests;

import dev.raftpipe.store.Backend;
import dev.raftpipe.store.BackendSnapshot;
import dev.raftpipe.testing.TruthFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A backend's kv table in TruthFile's row form, sorted, to compare with what etcd served. */
final class BackendRows {
    private BackendRows() {
    }

    static List<String> of(Path backend) {
        List<String> rows = new ArrayList<>();
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            s.forEachKeyValue(kv -> rows.add(TruthFile.row(kv.key(), kv.value(), kv.createRevision(),
                    kv.modRevision(), kv.version(), kv.lease())));
        }
        rows.sort(null);
        return rows;
    }

    /** Everything a backend holds, to compare two: its kv rows, then its meta, leases and members. */
    static List<String> state(Path backend) {
        List<String> rows = new ArrayList<>(of(backend));
        try (BackendSnapshot s = Backend.snapshot(backend)) {
            rows.add("meta " + s.meta());
            s.forEachLease(l -> rows.add("lease " + l));
            s.members().forEach(m -> rows.add("member " + m.id() + " " + m.name()));
        }
        return rows;
    }

    static List<String> of(List<EtcdProcess.KeyValue> served) {
        List<String> rows = new ArrayList<>();
        for (EtcdProcess.KeyValue kv : served) {
            rows.add(TruthFile.row(kv.key().getBytes(StandardCharsets.ISO_8859_1),
                    kv.value().getBytes(StandardCharsets.ISO_8859_1), kv.createRevision(), kv.modRevision(),
                    kv.version(), kv.lease()));
        }
        rows.sort(null);
        return rows;
    }
}
