package dev.raftpipe.codecs.redact;

import java.util.Arrays;
import java.util.List;

/**
 * What a backup leaves out or hides. Keys under a drop prefix vanish (their entries become no-ops);
 * values put under a mask prefix are replaced by a keyed hash of themselves. Membership changes become
 * no-ops unless kept, as etcd's backup does for a new cluster.
 */
public record RedactionPolicy(List<byte[]> dropPrefixes, List<byte[]> maskPrefixes, byte[] maskKey,
                              boolean keepMembership) {

    public RedactionPolicy {
        dropPrefixes = List.copyOf(dropPrefixes);
        maskPrefixes = List.copyOf(maskPrefixes);
        maskKey = maskKey == null ? new byte[0] : maskKey.clone();
        if (!maskPrefixes.isEmpty() && maskKey.length < 16) {
            throw new IllegalArgumentException("masking needs a key of at least 16 bytes");
        }
    }

    /** Keeps everything: the rewrite is the identity. */
    public static RedactionPolicy none() {
        return new RedactionPolicy(List.of(), List.of(), null, true);
    }

    public boolean drops(byte[] key) {
        return underAny(key, dropPrefixes);
    }

    public boolean masks(byte[] key) {
        return underAny(key, maskPrefixes);
    }

    public boolean hasRules() {
        return !dropPrefixes.isEmpty() || !maskPrefixes.isEmpty();
    }

    private static boolean underAny(byte[] key, List<byte[]> prefixes) {
        for (byte[] p : prefixes) {
            if (key.length >= p.length && Arrays.equals(key, 0, p.length, p, 0, p.length)) {
                return true;
            }
        }
        return false;
    }
}
