package dev.raftpipe.itests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A random etcd workload through the v3 JSON gateway: puts (with leases, prev_kv, ignore_value/lease),
 * single and range deletes, txns with every compare target and result, ranges in compares and nested
 * txns, lease grants and revokes, compactions. Requests etcd refuses are part of the workload.
 */
final class Workload {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TARGETS = {"VERSION", "CREATE", "MOD", "VALUE", "LEASE"};
    private static final String[] RESULTS = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};

    private final EtcdProcess etcd;
    private final Random random;
    private final List<Long> leases = new ArrayList<>();
    private long nextLease;
    private int refused;
    private boolean compactions = true;
    private int minLeaseTtl = 1;

    Workload(EtcdProcess etcd, long seed) {
        this.etcd = etcd;
        this.random = new Random(seed);
        this.nextLease = 0x1000 + seed * 10_000;
    }

    /** Leases that outlive a test (an hour at least), so a restarted etcd revokes none while it is read. */
    Workload withLongLeases() {
        minLeaseTtl = 3600;
        return this;
    }

    /** The same workload without compactions: a history that keeps every revision. */
    Workload withoutCompactions() {
        compactions = false;
        return this;
    }

    /** Runs {@code ops} operations; returns how many etcd refused. */
    int run(int ops) throws IOException, InterruptedException {
        for (int i = 0; i < ops; i++) {
            int dice = random.nextInt(100);
            try {
                if (dice < 40) {
                    etcd.post("/v3/kv/put", put().toString());
                } else if (dice < 50) {
                    etcd.post("/v3/kv/deleterange", delete().toString());
                } else if (dice < 80) {
                    etcd.post("/v3/kv/txn", txn(random.nextInt(4) == 0).toString());
                } else if (dice < 88) {
                    long id = nextLease++;
                    etcd.post("/v3/lease/grant", "{\"ID\":" + id + ",\"TTL\":" + (minLeaseTtl + random.nextInt(600)) + "}");
                    leases.add(id);
                } else if (dice < 93) {
                    long id = leases.isEmpty() || random.nextInt(5) == 0 ? 99 : leases.remove(random.nextInt(leases.size()));
                    etcd.post("/v3/lease/revoke", "{\"ID\":" + id + "}");
                } else if (dice < 95 && compactions) {
                    long rev = etcd.revision();
                    etcd.post("/v3/kv/compaction", "{\"revision\":" + Math.max(1, rev - random.nextInt(40)) + "}");
                } else {
                    etcd.post("/v3/kv/range", "{\"key\":\"" + b64(key()) + "\"}");
                }
            } catch (IOException refusedByEtcd) {
                refused++;
            }
        }
        return refused;
    }

    private ObjectNode put() {
        ObjectNode p = JSON.createObjectNode().put("key", b64(key()));
        int mode = random.nextInt(10);
        if (mode == 0) {
            p.put("ignore_value", true);
        } else if (mode == 1) {
            p.put("ignore_lease", true).put("value", b64(value()));
        } else {
            p.put("value", b64(value()));
        }
        if (mode >= 2 && random.nextInt(4) == 0 && !leases.isEmpty()) {
            p.put("lease", leases.get(random.nextInt(leases.size())));
        } else if (mode >= 2 && random.nextInt(40) == 0) {
            p.put("lease", 424242); // not granted: etcd refuses
        }
        p.put("prev_kv", random.nextBoolean());
        return p;
    }

    private ObjectNode delete() {
        String key = key();
        ObjectNode d = JSON.createObjectNode().put("key", b64(key));
        int mode = random.nextInt(4);
        if (mode == 1) {
            d.put("range_end", b64(key.substring(0, key.length() - 1) + "5"));
        } else if (mode == 2) {
            String prefix = key.substring(0, 3);
            d.put("key", b64(prefix)).put("range_end", b64(prefix.substring(0, 2) + (char) (prefix.charAt(2) + 1)));
        }
        return d;
    }

    private ObjectNode txn(boolean nest) {
        ObjectNode t = JSON.createObjectNode();
        ArrayNode compares = t.putArray("compare");
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            compares.add(compare());
        }
        // distinct keys per branch: etcd refuses a txn that writes one key twice
        List<String> keys = new ArrayList<>();
        for (String branch : new String[]{"success", "failure"}) {
            ArrayNode ops = t.putArray(branch);
            keys.clear();
            int m = random.nextInt(3);
            for (int i = 0; i < m; i++) {
                String key = key();
                if (keys.contains(key)) {
                    continue;
                }
                keys.add(key);
                int kind = random.nextInt(6);
                if (kind < 3) {
                    ops.addObject().set("request_put", JSON.createObjectNode().put("key", b64(key)).put("value", b64(value())));
                } else if (kind < 4) {
                    ops.addObject().set("request_delete_range", JSON.createObjectNode().put("key", b64(key)));
                } else {
                    ops.addObject().set("request_range", JSON.createObjectNode().put("key", b64(key)));
                }
            }
            if (nest && random.nextBoolean()) {
                ObjectNode inner = JSON.createObjectNode();
                inner.putArray("compare").add(compare());
                String key = "/n/" + random.nextInt(5);
                inner.putArray("success").addObject().set("request_put",
                        JSON.createObjectNode().put("key", b64(key)).put("value", b64(value())));
                inner.putArray("failure").addObject().set("request_delete_range",
                        JSON.createObjectNode().put("key", b64(key)));
                ops.addObject().set("request_txn", inner);
            }
        }
        return t;
    }

    private ObjectNode compare() {
        String target = TARGETS[random.nextInt(TARGETS.length)];
        ObjectNode c = JSON.createObjectNode().put("target", target)
                .put("result", RESULTS[random.nextInt(RESULTS.length)]);
        String key = key();
        c.put("key", b64(key));
        if (random.nextInt(4) == 0) {
            c.put("range_end", b64(key.substring(0, 3) + "~"));
        }
        switch (target) {
            case "VERSION" -> c.put("version", random.nextInt(4));
            case "CREATE" -> c.put("create_revision", random.nextInt(300));
            case "MOD" -> c.put("mod_revision", random.nextInt(300));
            case "LEASE" -> c.put("lease", leases.isEmpty() || random.nextBoolean() ? 0 : leases.get(0));
            default -> c.put("value", b64(value()));
        }
        return c;
    }

    private String key() {
        return "/" + (char) ('a' + random.nextInt(3)) + "/k" + random.nextInt(12);
    }

    private String value() {
        return "v" + random.nextInt(6);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
