package dev.raftpipe.codecs.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdVersionTest {

    @Test
    void aClusterVersionNamesTheFilesItsEtcdWrites() {
        assertEquals(Optional.of(EtcdVersion.V3_4), EtcdVersion.ofClusterVersion("3.4.0"));
        assertEquals(Optional.of(EtcdVersion.V3_4), EtcdVersion.ofClusterVersion("3.4"));
        assertEquals(Optional.of(EtcdVersion.V3_4), EtcdVersion.ofClusterVersion("3.3.0"));
        assertEquals(Optional.of(EtcdVersion.V3_5), EtcdVersion.ofClusterVersion("3.5.0"));
        assertEquals(Optional.of(EtcdVersion.NEWEST), EtcdVersion.ofClusterVersion("3.9.0"));
        assertEquals(Optional.of(EtcdVersion.NEWEST), EtcdVersion.ofClusterVersion("4.0.0"));
        assertEquals(Optional.empty(), EtcdVersion.ofClusterVersion(""));
        assertEquals(Optional.empty(), EtcdVersion.ofClusterVersion("three.five"));
    }

    @Test
    void onlyThreeFiveKeepsTermAndConfStateAndSkipsTheCompactTombstone() {
        EtcdVersion v34 = EtcdVersion.V3_4;
        EtcdVersion v35 = EtcdVersion.V3_5;
        assertFalse(v34.keepsTermInDb() || v34.keepsConfStateInDb() || v34.recordsConfStateInWalSnapshot()
                || v34.hashSkipsCompactTombstone());
        assertTrue(v35.keepsTermInDb() && v35.keepsConfStateInDb() && v35.recordsConfStateInWalSnapshot()
                && v35.hashSkipsCompactTombstone());
        assertTrue(v35.isNewerThan(v34));
        assertFalse(v34.isNewerThan(v35) || v35.isNewerThan(v35));
    }

    @Test
    void labelsAreWhatTheCommandLineTakes() {
        for (EtcdVersion v : EtcdVersion.values()) {
            assertEquals(v, EtcdVersion.of(v.label()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EtcdVersion.of("3.6"));
        assertEquals("etcd version 3.6: 3.4 or 3.5", e.getMessage());
    }
}
