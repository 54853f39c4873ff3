package dev.raftpipe.codecs.archive;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * A small secret sealed whole: a random 12-byte nonce followed by the AES-256-GCM ciphertext and tag, with associated
 * data naming what it is. SHA256SUMS.sealed and a wrapped data key are both such boxes.
 */
final class AesGcmBox {
    static final int NONCE = 12;
    static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesGcmBox() {
    }

    static byte[] seal(SecretKeySpec key, byte[] aad, byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plaintext, or empty when the box does not open (wrong key, altered bytes, too short). */
    static Optional<byte[]> open(SecretKeySpec key, byte[] aad, byte[] box) {
        if (box.length < NONCE + TAG) {
            return Optional.empty();
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, box, 0, NONCE));
            c.updateAAD(aad);
            return Optional.of(c.doFinal(box, NONCE, box.length - NONCE));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
