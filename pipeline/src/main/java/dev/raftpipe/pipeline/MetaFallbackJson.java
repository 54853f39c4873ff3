package dev.raftpipe.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftpipe.codecs.bolt.MetaFallback;

/** {@code meta_fallback} in a report: the file, the damaged meta page and why, the page and txid read instead. */
public final class MetaFallbackJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetaFallbackJson() {
    }

    public static ObjectNode of(MetaFallback f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", f.file().toString());
        o.put("damaged_page", f.damagedPage());
        o.put("damage", f.damage());
        f.damagedTxid().ifPresent(t -> o.put("damaged_txid", t));
        o.put("used_page", f.usedPage());
        o.put("used_txid", f.usedTxid());
        o.put("older_state", f.olderState());
        return o;
    }
}
