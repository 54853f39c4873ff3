package dev.raftpipe.pipeline.location;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3SettingsTest {
    private static S3Settings settings(String conf, Map<String, String> env) {
        return S3Settings.create(ConfigFactory.parseString(conf).withFallback(ConfigFactory.load()), env);
    }

    @Test
    void theEndpointIsTheSettingThenTheS3VariableThenTheGeneralOne() {
        Map<String, String> both = Map.of("AWS_ENDPOINT_URL_S3", "http://s3.local:9000",
                "AWS_ENDPOINT_URL", "http://all.local:9000");
        assertEquals(URI.create("http://set:1"), settings("raftpipe.s3.endpoint = \"http://set:1\"", both)
                .endpoint().orElseThrow());
        assertEquals(URI.create("http://s3.local:9000"), settings("", both).endpoint().orElseThrow());
        assertEquals(URI.create("http://all.local:9000"),
                settings("", Map.of("AWS_ENDPOINT_URL", "http://all.local:9000")).endpoint().orElseThrow());
        assertTrue(settings("", Map.of()).endpoint().isEmpty(), "AWS itself");
    }

    @Test
    void pathStyleIsForAddressesAndLocalhostUnlessSet() {
        assertTrue(settings("raftpipe.s3.endpoint = \"http://127.0.0.1:9000\"", Map.of()).usesPathStyle());
        assertTrue(settings("raftpipe.s3.endpoint = \"http://localhost:9000\"", Map.of()).usesPathStyle());
        assertFalse(settings("raftpipe.s3.endpoint = \"https://minio.example.com\"", Map.of()).usesPathStyle());
        assertTrue(settings("raftpipe.s3 { endpoint = \"https://minio.example.com\", path-style = true }", Map.of())
                .usesPathStyle());
        assertFalse(settings("", Map.of()).usesPathStyle(), "virtual-hosted on AWS");
    }

    @Test
    void partsGrowSoThatTenThousandAreNeverNeededAndStayWithinS3sLimits() {
        S3Settings s = settings("", Map.of());
        assertEquals(8L << 20, s.partBytes(1));
        assertEquals(8L << 20, s.partBytes(1000));
        assertEquals(16L << 20, s.partBytes(1001));
        long total = 0;
        for (int n = 1; n <= 10_000; n++) {
            total += s.partBytes(n);
            assertTrue(s.partBytes(n) <= 5L << 30);
        }
        assertTrue(total > 5L << 40, "10 000 parts hold more than S3's 5 TiB object: " + total);
        assertThrows(IllegalArgumentException.class, () -> settings("raftpipe.s3.part-size = 1MiB", Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> settings("raftpipe.s3.server-side-encryption = aes", Map.of()));
    }

    @Test
    void theDefaultsAreThoseDocumented() {
        S3Settings s = settings("", Map.of());
        assertTrue(s.checksumsWhenRequired());
        assertEquals(2, s.partsInFlight());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), s.stagingDir());
    }
}
