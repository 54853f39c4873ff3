package dev.raftpipe.codecs.etcd;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** IDs the fixtures' real etcd 3.4 members computed (initial cluster token "fx-token"), recomputed. */
class MemberIdsTest {
    @Test
    void theSingleMembersIdsAreEtcds() {
        long id = MemberIds.memberId(List.of("http://127.0.0.1:24750"), "fx-token");
        assertEquals(0xc0da02e0a64bd8afL, id);
        assertEquals(0xa0a183d2f3bd4165L, MemberIds.clusterId(List.of(id)));
    }

    @Test
    void theThreeMemberClustersIdsAreEtcds() {
        long n1 = MemberIds.memberId(List.of("http://127.0.0.1:24770"), "fx-token");
        long n2 = MemberIds.memberId(List.of("http://127.0.0.1:24771"), "fx-token");
        long n3 = MemberIds.memberId(List.of("http://127.0.0.1:24772"), "fx-token");
        assertEquals(List.of(0xadebb83de4f604d7L, 0x06f6f0219f31da0fL, 0x1895d67280276a47L), List.of(n1, n2, n3));
        assertEquals(0xadc44e052b80f7d4L, MemberIds.clusterId(List.of(n3, n1, n2)));
    }
}
