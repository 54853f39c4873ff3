package dev.raftpipe.stages;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client certificates and keys as etcd operators have them: PEM files written by openssl, cfssl or kubeadm.
 * The JDK reads only PKCS#8 keys; kubeadm and cfssl write PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1
 * ({@code EC PRIVATE KEY}) keys, so those are wrapped into PKCS#8 here rather than asking users to convert.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    // OIDs as DER (tag, length, value)
    private static final byte[] RSA_ENCRYPTION = hex("06092a864886f70d010101");
    private static final byte[] EC_PUBLIC_KEY = hex("06072a8648ce3d0201");
    private static final byte[] DER_NULL = {0x05, 0x00};

    private PemFiles() {
    }

    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type.equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid PEM certificate (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    public static PrivateKey privateKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.type) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der, "RSA", "EC", "Ed25519");
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrap(RSA_ENCRYPTION, DER_NULL, b.der), "RSA");
                case "EC PRIVATE KEY":
                    return pkcs8(file, wrap(EC_PUBLIC_KEY, curveOf(file, b.der), b.der), "EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IOException(file + ": the private key is encrypted; give an unencrypted key file "
                            + "(as etcd itself needs)");
                default:
                    break;
            }
        }
        throw new IOException(file + ": holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": a PEM block is not valid base64");
            }
        }
        return out;
    }

    private static PrivateKey pkcs8(Path file, byte[] der, String... algorithms) throws IOException {
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": the private key cannot be read (" + String.join(", ", algorithms) + " tried)");
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { oid, parameters }, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithmOid, byte[] parameters, byte[] key) {
        byte[] algorithm = der(0x30, concat(algorithmOid, parameters));
        return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, key)));
    }

    /** ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters (the curve's OID), ... }. */
    private static byte[] curveOf(Path file, byte[] sec1) throws IOException {
        try (InputStream in = new ByteArrayInputStream(sec1)) {
            expect(in, 0x30);
            length(in);
            expect(in, 0x02);
            in.skipNBytes(length(in));
            expect(in, 0x04);
            in.skipNBytes(length(in));
            expect(in, 0xa0);
            length(in);
            expect(in, 0x06);
            int n = length(in);
            return der(0x06, in.readNBytes(n));
        } catch (IOException e) {
            throw new IOException(file + ": an EC PRIVATE KEY without its curve cannot be read");
        }
    }

    private static void expect(InputStream in, int tag) throws IOException {
        if (in.read() != tag) {
            throw new IOException("unexpected DER tag");
        }
    }

    private static int length(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new IOException("truncated DER");
        }
        if (first < 0x80) {
            return first;
        }
        int n = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            n = (n << 8) | in.read();
        }
        return n;
    }

    private static byte[] der(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
