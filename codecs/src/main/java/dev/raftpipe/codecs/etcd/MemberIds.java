package dev.raftpipe.codecs.etcd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Member and cluster IDs as etcd computes them for an initial cluster (membership.computeMemberId and
 * RaftCluster.genID): so every member restored from the same flags agrees with the others and with etcd.
 */
public final class MemberIds {
    private MemberIds() {
    }

    /** SHA-1 of the member's peer URLs, sorted and joined, then the cluster token; the first 8 bytes, big-endian. */
    public static long memberId(List<String> peerUrls, String clusterToken) {
        List<String> sorted = new ArrayList<>(peerUrls);
        sorted.sort(null);
        MessageDigest sha1 = sha1();
        sha1.update(String.join("", sorted).getBytes(StandardCharsets.UTF_8));
        sha1.update(clusterToken.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha1.digest()).getLong();
    }

    /** SHA-1 of the member IDs in ascending (unsigned) order, each 8 bytes big-endian; the first 8 bytes. */
    public static long clusterId(List<Long> memberIds) {
        List<Long> sorted = new ArrayList<>(memberIds);
        sorted.sort(Long::compareUnsigned);
        ByteBuffer b = ByteBuffer.allocate(8 * sorted.size());
        sorted.forEach(b::putLong);
        return ByteBuffer.wrap(sha1().digest(b.array())).getLong();
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
