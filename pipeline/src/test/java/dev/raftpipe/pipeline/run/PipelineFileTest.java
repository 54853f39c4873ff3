package dev.raftpipe.pipeline.run;

import com.typesafe.config.ConfigFactory;
import dev.raftpipe.pipeline.spi.PipelineFileException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineFileTest {
    private static final PipelineFile BACKUP = BuiltInPipelines.named(ConfigFactory.load(), "backup");

    @Test
    void theBuiltInPipelinesAreReadFromReferenceConf() {
        for (String name : List.of("backup", "replay", "seal", "restore")) {
            PipelineFile p = BuiltInPipelines.named(ConfigFactory.load(), name);
            assertEquals("raftpipe.pipelines." + name, p.name());
            assertTrue(p.source().where().startsWith("reference.conf:"), p.source().where());
        }
        assertEquals("wal-source", BACKUP.source().stage());
        assertEquals(List.of("resolve", "redact"), BACKUP.stages().stream().map(PipelineFile.Step::stage).toList());
    }

    @Test
    void aCommandsValuesGoOverTheBlockOfTheStageItNames() {
        PipelineFile p = BACKUP.with("wal-source", "dir", Path.of("/data/member/wal"))
                .with("redact", "mask-prefixes", List.of("/registry/secrets/"))
                .with("redact", "keep-membership", true);
        assertEquals("/data/member/wal", p.source().block().getString("dir"));
        assertEquals(List.of("/registry/secrets/"), p.stages().get(1).block().getStringList("mask-prefixes"));
        assertTrue(p.stages().get(1).block().getBoolean("keep-membership"));
        assertFalse(p.stages().get(0).block().hasPath("keep-membership"), "only the stage named");
        assertFalse(BACKUP.source().block().hasPath("dir"), "the original is unchanged");
    }

    @Test
    void aStageThePipelineLacksIsNamedInTheError() {
        var e = assertThrows(PipelineFileException.class, () -> BACKUP.with("archive-sink", "out", "x"));
        assertEquals("raftpipe.pipelines.backup: the pipeline has no 'archive-sink' stage to set out on", e.getMessage());
        PipelineFile noResolve = PipelineFile.of("p", Path.of("/"), ConfigFactory.parseString(
                "source = { stage = wal-source }, sinks = [ { stage = wal-sink } ]"));
        assertThrows(PipelineFileException.class, () -> noResolve.require("resolve"));
    }

    @Test
    void anOptionalSinkIsLeftOutButNeverTheLastOne() {
        PipelineFile p = BACKUP.withoutSink("replay-sink");
        assertEquals(List.of("wal-sink"), p.sinks().stream().map(PipelineFile.Step::stage).toList());
        assertThrows(PipelineFileException.class, () -> p.withoutSink("wal-sink"));
    }
}
