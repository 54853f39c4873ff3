package dev.raftpipe.codecs.archive;

import java.security.MessageDigest;

/** A toy sealer plugged in through the SPI, as a user would plug in a KMS: the sums XORed with the key. */
public final class XorSealerProvider implements SealerProvider {
    @Override
    public String kind() {
        return "test-xor";
    }

    @Override
    public Sealer create(byte[] key) {
        return new Sealer() {
            public String kind() {
                return "test-xor";
            }

            public byte[] seal(byte[] sums) {
                byte[] out = sums.clone();
                for (int i = 0; i < out.length; i++) {
                    out[i] ^= key[i % key.length];
                }
                return out;
            }

            public byte[] open(byte[] sealed, byte[] sums) {
                if (!MessageDigest.isEqual(seal(sealed), sums)) {
                    throw new ArchiveVerificationException("test-xor seal does not match");
                }
                return sums;
            }
        };
    }
}
