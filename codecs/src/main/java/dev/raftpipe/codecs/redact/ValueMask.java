package dev.raftpipe.codecs.redact;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * A masked value: {@code raftpipe-masked:<base64url HMAC-SHA256(key, value)>}. Deterministic per value, so
 * equal values stay equal (a txn comparing a masked key's value for equality keeps its outcome), and
 * without the key nothing of the original can be recovered or confirmed. Shared by the WAL's entries and the db's
 * stored revisions, so both hide a value the same way. Not thread-safe (one HMAC instance).
 */
public final class ValueMask {
    private static final byte[] PREFIX = "raftpipe-masked:".getBytes(StandardCharsets.US_ASCII);
    private final Mac mac;

    public ValueMask(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] mask(byte[] value) {
        byte[] digest = Base64.getUrlEncoder().withoutPadding().encode(mac.doFinal(value));
        byte[] out = new byte[PREFIX.length + digest.length];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(digest, 0, out, PREFIX.length, digest.length);
        return out;
    }
}
