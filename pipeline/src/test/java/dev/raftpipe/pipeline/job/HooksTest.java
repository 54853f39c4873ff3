package dev.raftpipe.pipeline.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HooksTest {
    private static Config with(String conf) {
        return ConfigFactory.parseString(conf).withFallback(ConfigFactory.load()).resolve();
    }

    private static String refusal(String conf, Hooks.Job job) {
        return assertThrows(PipelineFileException.class, () -> Hooks.of(with(conf), job)).getMessage();
    }

    @Test
    void theReferenceConfigurationHooksNothing() {
        for (Hooks.Job job : new Hooks.Job[] {Hooks.REPLAY, Hooks.BACKUP, Hooks.SEAL, Hooks.RESTORE}) {
            assertTrue(Hooks.of(ConfigFactory.load(), job).isEmpty(), job.name());
        }
    }

    @Test
    void aStageAtAPointIsMadeAndCheckedAgainstWhatFlowsThere() {
        assertFalse(Hooks.of(with("raftpipe.hooks.replay.after-resolve = [ { stage = checksum } ]"), Hooks.REPLAY)
                .isEmpty());
        assertFalse(Hooks.of(with("raftpipe.hooks.seal.after-source = [ { stage = checksum, algorithm = crc32c } ]"),
                Hooks.SEAL).isEmpty());
        // redact takes WAL records; a seal carries state records
        String wrongPayload = refusal("raftpipe.hooks.seal.after-source = [ { stage = redact } ]", Hooks.SEAL);
        assertTrue(wrongPayload.contains("raftpipe.hooks.seal.after-source") && wrongPayload.contains("'redact'"),
                wrongPayload);
        String sink = refusal("raftpipe.hooks.replay.after-resolve = [ { stage = wal-sink, dir = x } ]", Hooks.REPLAY);
        assertTrue(sink.contains("'wal-sink' cannot run at"), sink);
    }

    @Test
    void aMisspelledJobPointStageOrSettingIsRefusedNotIgnored() {
        assertTrue(refusal("raftpipe.hooks.replay.before-resolve = []", Hooks.REPLAY)
                .contains("no such hook point (points: after-resolve)"));
        assertTrue(refusal("raftpipe.hooks.replya.after-resolve = []", Hooks.REPLAY).contains("no such job"));
        // a typo under another job's name is refused whichever job runs
        assertTrue(refusal("raftpipe.hooks.seal.after-resolve = []", Hooks.REPLAY).contains("no such hook point"));
        assertTrue(refusal("raftpipe.hooks.replay.after-resolve = [ { stage = no-such } ]", Hooks.REPLAY)
                .contains("unknown stage 'no-such'"));
        assertTrue(refusal("raftpipe.hooks.replay.after-resolve = [ { stage = checksum, algoritm = crc32c } ]",
                Hooks.REPLAY).contains("algoritm"));
    }

    @Test
    void theEarlierPipelineOverrideIsReadAsHooksAfterTheCommandsOwnStages() {
        assertFalse(Hooks.of(with("raftpipe.pipelines.replay.stages = [ { stage = resolve }, { stage = checksum } ]"),
                Hooks.REPLAY).isEmpty());
        assertTrue(Hooks.of(with("raftpipe.pipelines.backup.stages = [ { stage = resolve }, { stage = redact } ]"),
                Hooks.BACKUP).isEmpty());
        String noResolve = refusal("raftpipe.pipelines.replay.stages = []", Hooks.REPLAY);
        assertTrue(noResolve.startsWith("raftpipe.pipelines.replay: ") && noResolve.contains("'resolve'"), noResolve);
        String before = refusal("raftpipe.pipelines.replay.stages = [ { stage = checksum }, { stage = resolve } ]",
                Hooks.REPLAY);
        assertTrue(before.contains("before 'resolve'"), before);
        String sinks = refusal("raftpipe.pipelines.replay.sinks = [ { stage = replay-sink } ]", Hooks.REPLAY);
        assertTrue(sinks.contains("raftpipe.pipelines.replay.sinks") && sinks.contains("flags"), sinks);
        String ownSetting = refusal("raftpipe.pipelines.backup.stages = [ { stage = resolve }, "
                + "{ stage = redact, redact-prefixes = [\"/x/\"] } ]", Hooks.BACKUP);
        assertTrue(ownSetting.contains("'redact' is the command's own"), ownSetting);
    }
}
