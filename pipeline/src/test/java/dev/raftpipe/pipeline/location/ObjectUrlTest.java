package dev.raftpipe.pipeline.location;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ObjectUrlTest {
    @Test
    void anObjectUrlIsABucketAndAKeyTakenAsGiven() {
        ObjectUrl url = ObjectUrl.parse("s3://backups/prod//etcd.snap");
        assertEquals("backups", url.bucket());
        assertEquals("prod//etcd.snap", url.key());
        assertEquals("s3://backups/prod//etcd.snap", url.toString());
        assertEquals("etcd.snap", url.fileName());
        assertEquals("s3://backups/prod//etcd.snap.info.json", url.withSuffix(".info.json").toString());
    }

    @Test
    void aBucketWithoutAKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ObjectUrl.parse("s3://backups"));
        assertThrows(IllegalArgumentException.class, () -> ObjectUrl.parse("s3://backups/"));
        assertThrows(IllegalArgumentException.class, () -> ObjectUrl.parse("s3:///key"));
    }

    @Test
    void placesAreObjectsOnlyWithTheScheme() {
        assertEquals(new Place.Remote(new ObjectUrl("b", "k")), Place.parse("s3://b/k"));
        assertEquals(new Place.Local(Path.of("s3:/b/k")), Place.parse("s3:/b/k"));
        assertEquals(new Place.Local(Path.of("backup.snap")), Place.parse("backup.snap"));
    }
}
