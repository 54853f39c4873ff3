package dev.raftpipe.store;

import java.util.Arrays;

/** A live key as etcd serves it (mvccpb.KeyValue). {@code lease} 0 means none. */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && Arrays.equals(kv.key, key) && Arrays.equals(kv.value, value)
                && kv.createRevision == createRevision && kv.modRevision == modRevision
                && kv.version == version && kv.lease == lease;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + new String(key, java.nio.charset.StandardCharsets.ISO_8859_1) + ", "
                + value.length + " bytes, create=" + createRevision + ", mod=" + modRevision
                + ", version=" + version + ", lease=" + lease + "]";
    }
}
