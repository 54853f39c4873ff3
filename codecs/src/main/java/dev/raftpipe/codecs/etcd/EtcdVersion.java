package dev.raftpipe.codecs.etcd;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The etcd versions whose files raftpipe reads and writes. Every way their files differ is a method here with a
 * name, so a rule is decided in one place and a new version is one constant with its answers (and its tests).
 */
public enum EtcdVersion {
    V3_4("3.4"),
    V3_5("3.5");

    /** The newest version raftpipe knows; what a state whose etcd version is unknown is written for. */
    public static final EtcdVersion NEWEST = V3_5;

    private final String label;

    EtcdVersion(String label) {
        this.label = label;
    }

    /** {@code 3.4} or {@code 3.5}: how {@code --etcd-version} names it and reports print it. */
    public String label() {
        return label;
    }

    /** The version of this label. */
    public static EtcdVersion of(String label) {
        for (EtcdVersion v : values()) {
            if (v.label.equals(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("etcd version " + label + ": "
                + Arrays.stream(values()).map(EtcdVersion::label).collect(Collectors.joining(" or ")));
    }

    /**
     * The version whose files a cluster at this cluster version ({@code cluster/clusterVersion}, e.g. {@code 3.5.0})
     * has: 3.4 and older share 3.4's, 3.5 and anything newer than raftpipe knows is the newest. Empty when unset or
     * not a version.
     */
    public static Optional<EtcdVersion> ofClusterVersion(String clusterVersion) {
        String[] p = clusterVersion.split("\\.");
        if (p.length < 2) {
            return Optional.empty();
        }
        try {
            int major = Integer.parseInt(p[0]);
            int minor = Integer.parseInt(p[1]);
            return Optional.of(major < 3 || major == 3 && minor <= 4 ? V3_4 : NEWEST);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code meta/term} in the db. */
    public boolean keepsTermInDb() {
        return this != V3_4;
    }

    /** {@code meta/confState} (voters and learners as JSON) in the db. */
    public boolean keepsConfStateInDb() {
        return this != V3_4;
    }

    /** The WAL's snapshot record ({@code walpb.Snapshot}) carries the ConfState. */
    public boolean recordsConfStateInWalSnapshot() {
        return this != V3_4;
    }

    /** The KV hash ({@code HashKV}, {@code etcdutl snapshot status}'s) leaves out a tombstone at the compact revision. */
    public boolean hashSkipsCompactTombstone() {
        return this != V3_4;
    }

    /** Writing a state this version served for {@code older} loses what only this version keeps. */
    public boolean isNewerThan(EtcdVersion older) {
        return compareTo(older) > 0;
    }
}
