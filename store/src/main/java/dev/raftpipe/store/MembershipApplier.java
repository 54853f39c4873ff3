package dev.raftpipe.store;

import dev.raftpipe.codecs.raft.NodeIds;
import dev.raftpipe.codecs.state.StateRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raftpipe.codecs.etcd.EtcdRequest;
import dev.raftpipe.codecs.raft.ConfChange;
import dev.raftpipe.codecs.raft.ConfChangeType;
import dev.raftpipe.codecs.raft.ConfChangeV2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * etcd's membership as conf change entries and member attribute requests change it: the members table
 * and raft's ConfState. A change etcd's ValidateConfigurationChange refuses changes neither.
 */
final class MembershipApplier {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** membership.maxLearners */
    private static final int MAX_LEARNERS = 1;

    private final MemberStore store;
    private final ApplyState state;

    MembershipApplier(MemberStore store, ApplyState state) {
        this.store = store;
        this.state = state;
    }

    Optional<String> apply(long index, ConfChange cc) throws SQLException {
        long id = cc.nodeId();
        if (state.removed.contains(id)) {
            return Optional.of("member " + NodeIds.hex(id) + " was removed");
        }
        StateRecord.Member existing = state.members.get(id);
        switch (cc.type()) {
            case ADD_NODE, ADD_LEARNER_NODE -> {
                JsonNode ctx = context(index, cc);
                if (memberId(ctx) != id) {
                    throw new ApplyException(index, "conf change for " + NodeIds.hex(id) + " carries member "
                            + NodeIds.hex(memberId(ctx)));
                }
                if (ctx.path("isPromote").asBoolean(false)) {
                    if (existing == null) {
                        return Optional.of("member not found");
                    }
                    if (!existing.isLearner()) {
                        return Optional.of("member is not a learner");
                    }
                    save(new StateRecord.Member(id, existing.name(), existing.peerUrls(), existing.clientUrls(), false));
                } else {
                    Optional<String> refused = refuseAdd(existing, ctx);
                    if (refused.isPresent()) {
                        return refused;
                    }
                    save(new StateRecord.Member(id, ctx.path("name").asText(""), urls(ctx.path("peerURLs")),
                            urls(ctx.path("clientURLs")), ctx.path("isLearner").asBoolean(false)));
                }
                addToConfState(id, cc.type() == ConfChangeType.ADD_LEARNER_NODE);
            }
            case REMOVE_NODE -> {
                if (existing == null) {
                    return Optional.of("member not found");
                }
                state.members.remove(id);
                state.removed.add(id);
                store.remove(id);
                state.voters.remove(id);
                state.learners.remove(id);
            }
            case UPDATE_NODE -> {
                if (existing == null) {
                    return Optional.of("member not found");
                }
                JsonNode ctx = context(index, cc);
                List<String> peerUrls = urls(ctx.path("peerURLs"));
                if (peerUrlTaken(peerUrls, id)) {
                    return Optional.of("peer URL exists");
                }
                save(new StateRecord.Member(id, existing.name(), peerUrls, existing.clientUrls(), existing.isLearner()));
            }
        }
        return Optional.empty();
    }

    /** etcd 3.4 never proposes v2 conf changes; their members carry no context, so only ConfState moves. */
    Optional<String> apply(ConfChangeV2 cc) {
        for (ConfChangeV2.Single s : cc.changes()) {
            switch (s.type()) {
                case ADD_NODE -> addToConfState(s.nodeId(), false);
                case ADD_LEARNER_NODE -> addToConfState(s.nodeId(), true);
                case REMOVE_NODE -> {
                    state.voters.remove(s.nodeId());
                    state.learners.remove(s.nodeId());
                }
                case UPDATE_NODE -> {
                }
            }
        }
        return Optional.empty();
    }

    /** UpdateAttributes: only a current member's name and client URLs change. */
    Optional<String> apply(EtcdRequest.MemberAttrSet a) throws SQLException {
        StateRecord.Member m = state.members.get(a.memberId());
        if (m == null) {
            return Optional.of("member not found");
        }
        save(new StateRecord.Member(m.id(), a.name(), m.peerUrls(), a.clientUrls(), m.isLearner()));
        return Optional.empty();
    }

    Optional<String> apply(EtcdRequest.ClusterVersionSet v) {
        state.clusterVersion = v.version();
        return Optional.empty();
    }

    private Optional<String> refuseAdd(StateRecord.Member existing, JsonNode ctx) {
        if (existing != null) {
            return Optional.of("member ID exists");
        }
        if (peerUrlTaken(urls(ctx.path("peerURLs")), 0)) {
            return Optional.of("peer URL exists");
        }
        if (ctx.path("isLearner").asBoolean(false)
                && state.members.values().stream().filter(StateRecord.Member::isLearner).count() + 1 > MAX_LEARNERS) {
            return Optional.of("too many learner members");
        }
        return Optional.empty();
    }

    private boolean peerUrlTaken(List<String> urls, long except) {
        return state.members.values().stream()
                .filter(m -> m.id() != except)
                .anyMatch(m -> m.peerUrls().stream().anyMatch(urls::contains));
    }

    /** raft: adding a voter promotes a learner; adding a learner never demotes a voter. */
    private void addToConfState(long id, boolean learner) {
        if (learner) {
            if (!state.voters.contains(id)) {
                state.learners.add(id);
            }
        } else {
            state.learners.remove(id);
            state.voters.add(id);
        }
    }

    private void save(StateRecord.Member m) throws SQLException {
        state.members.put(m.id(), m);
        store.save(m);
    }

    private static JsonNode context(long index, ConfChange cc) {
        try {
            return JSON.readTree(new String(cc.context(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApplyException(index, "conf change context is not a JSON member: " + e.getMessage());
        }
    }

    private static long memberId(JsonNode ctx) {
        // etcd writes the uint64 ID as a JSON number, often beyond a signed long
        return ctx.path("id").bigIntegerValue().longValue();
    }

    private static List<String> urls(JsonNode node) {
        List<String> urls = new ArrayList<>();
        node.forEach(n -> urls.add(n.asText()));
        return urls;
    }
}
