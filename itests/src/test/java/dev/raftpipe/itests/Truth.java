package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fixture's truth.json: what etcd itself served at the end. */
record Truth(long revision, long raftIndex, List<EtcdProcess.KeyValue> kvs) {

    static Truth read(Path file) throws IOException {
        JsonNode t = new ObjectMapper().readTree(file.toFile());
        List<EtcdProcess.KeyValue> kvs = new ArrayList<>();
        for (JsonNode kv : t.get("kvs")) {
            kvs.add(new EtcdProcess.KeyValue(kv.get("key").asText(), kv.get("value").asText(),
                    kv.get("create_revision").asLong(), kv.get("mod_revision").asLong(),
                    kv.get("version").asLong(), kv.get("lease").asLong()));
        }
        return new Truth(t.get("revision").asLong(), t.at("/status/raftIndex").asLong(), kvs);
    }
}
