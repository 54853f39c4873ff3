package dev.raftpipe.codecs.archive;

import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ServiceLoader;

/** The built-in sealers, and the lookup of one by kind (built-in or a provider on the classpath). */
public final class Sealers {
    public static final String HMAC = "hmac-sha256";
    public static final String AES_GCM = "aes-256-gcm";
    private static final byte[] AAD = "raftpipe SHA256SUMS v1".getBytes(StandardCharsets.US_ASCII);

    private Sealers() {
    }

    /** The full name of a sealer kind: {@code hmac} and {@code aes-gcm} are the command line's short names. */
    public static String canonical(String kind) {
        return switch (kind) {
            case "hmac" -> HMAC;
            case "aes-gcm" -> AES_GCM;
            default -> kind;
        };
    }

    /** {@code hmac}, {@code aes-gcm} and the full names are accepted on the command line. */
    public static Sealer of(String kind, byte[] key) {
        String k = canonical(kind);
        if (k.equals(HMAC)) {
            return hmacSha256(key);
        }
        if (k.equals(AES_GCM)) {
            return aes256Gcm(key);
        }
        for (SealerProvider p : ServiceLoader.load(SealerProvider.class)) {
            if (p.kind().equals(k)) {
                return p.create(key);
            }
        }
        throw new IllegalArgumentException("unknown sealer " + kind + " (built in: hmac-sha256, aes-256-gcm)");
    }

    /** Whether a sealer of this kind exists, built in or from a provider on the classpath. */
    public static boolean known(String kind) {
        if (List.of("hmac", "aes-gcm", HMAC, AES_GCM).contains(kind)) {
            return true;
        }
        for (SealerProvider p : ServiceLoader.load(SealerProvider.class)) {
            if (p.kind().equals(kind)) {
                return true;
            }
        }
        return false;
    }

    /** Integrity with a shared key: SHA256SUMS.sealed is the HMAC-SHA256 of SHA256SUMS. */
    public static Sealer hmacSha256(byte[] key) {
        byte[] k = checkKey(key);
        return new Sealer() {
            public String kind() {
                return HMAC;
            }

            public byte[] seal(byte[] sums) {
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(k, "HmacSHA256"));
                    return mac.doFinal(sums);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }

            public byte[] open(byte[] sealed, byte[] sums) {
                if (!MessageDigest.isEqual(seal(sums), sealed)) {
                    throw new ArchiveVerificationException("the archive's seal does not match: wrong key or altered archive");
                }
                return sums;
            }
        };
    }

    /**
     * Confidentiality and integrity: state.bin is encrypted as a stream under a per-archive data key wrapped with
     * {@code key} ({@link StateCipher}), and SHA256SUMS.sealed is nonce, ciphertext and GCM tag of the sums (which
     * cover the stored, encrypted bytes).
     */
    public static Sealer aes256Gcm(byte[] key) {
        SecretKeySpec k = new SecretKeySpec(checkKey(key), "AES");
        StateCipher cipher = new StateCipher(key);
        return new Sealer() {
            public String kind() {
                return AES_GCM;
            }

            @Override
            public Optional<StateCipher> stateCipher() {
                return Optional.of(cipher);
            }

            public byte[] seal(byte[] sums) {
                return AesGcmBox.seal(k, AAD, sums);
            }

            public byte[] open(byte[] sealed, byte[] sums) {
                if (sealed.length < AesGcmBox.NONCE + AesGcmBox.TAG) {
                    throw new ArchiveVerificationException("SHA256SUMS.sealed is too short for AES-256-GCM");
                }
                byte[] plain = AesGcmBox.open(k, AAD, sealed).orElseThrow(() -> new ArchiveVerificationException(
                        "the archive's seal does not open: wrong key or altered archive"));
                if (!MessageDigest.isEqual(plain, sums)) {
                    throw new ArchiveVerificationException("SHA256SUMS differs from the sums sealed in SHA256SUMS.sealed");
                }
                return plain;
            }
        };
    }

    private static byte[] checkKey(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("a seal key is 32 bytes, not " + (key == null ? 0 : key.length));
        }
        return key.clone();
    }
}
