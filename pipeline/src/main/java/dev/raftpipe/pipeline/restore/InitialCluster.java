package dev.raftpipe.pipeline.restore;

import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.etcd.MemberIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's {@code --initial-cluster name=url,...} with its {@code --initial-cluster-token}: the members of a new
 * cluster with the IDs etcd computes for them, in ID order (etcd's MemberIDs()).
 */
public record InitialCluster(List<StateRecord.Member> members, long clusterId) {
    public static final String DEFAULT_TOKEN = "etcd-cluster";

    public InitialCluster {
        members = List.copyOf(members);
    }

    /** Parses {@code n1=http://a:2380,n2=http://b:2380}; a name may be given several URLs. */
    public static InitialCluster parse(String flag, String token) {
        Map<String, List<String>> urls = new LinkedHashMap<>();
        for (String part : flag.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("--initial-cluster: '" + part + "' is not name=peer-url");
            }
            urls.computeIfAbsent(part.substring(0, eq).trim(), n -> new ArrayList<>()).add(part.substring(eq + 1).trim());
        }
        List<StateRecord.Member> members = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<String, List<String>> m : urls.entrySet()) {
            List<String> peers = new ArrayList<>(m.getValue());
            peers.sort(null);
            long id = MemberIds.memberId(peers, token);
            if (ids.contains(id)) {
                throw new IllegalArgumentException("--initial-cluster: two members share the peer URLs " + peers);
            }
            ids.add(id);
            members.add(new StateRecord.Member(id, m.getKey(), peers, List.of(), false));
        }
        members.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return new InitialCluster(members, MemberIds.clusterId(ids));
    }

    public StateRecord.Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("--name " + name + " is not in --initial-cluster"));
    }

    public List<Long> ids() {
        return members.stream().map(StateRecord.Member::id).toList();
    }
}
