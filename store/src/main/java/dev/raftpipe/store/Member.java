package dev.raftpipe.store;

import java.util.List;

/** A cluster member as etcd's membership store keeps it. */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean isLearner) {
    public Member {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
