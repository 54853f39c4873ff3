package dev.raftpipe.stages;

import com.typesafe.config.ConfigFactory;
import dev.raftpipe.codecs.etcd.EtcdVersion;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SettingsFromActorSystemTest {
    @Test
    void settingsComeFromTheActorSystemsConfiguration() {
        ActorSystem system = ActorSystem.create("settings", ConfigFactory.parseString("""
                raftpipe.archive.codec = snappy
                raftpipe.archive.verify-first = off
                raftpipe.db-sink.etcd-version = "3.4"
                """).withFallback(ConfigFactory.load()));
        try {
            assertEquals("snappy", ArchiveSettings.create(system).codec());
            assertFalse(ArchiveSettings.create(system).verifyFirst());
            assertEquals(java.util.Optional.of(EtcdVersion.V3_4),
                    DbSinkSettings.create(system).etcdVersion());
            assertEquals(URI.create("http://127.0.0.1:2379"),
                    EndpointSettings.create(system, URI.create("http://127.0.0.1:2379")).endpoint());
        } finally {
            TestKit.shutdownActorSystem(system);
        }
    }
}
