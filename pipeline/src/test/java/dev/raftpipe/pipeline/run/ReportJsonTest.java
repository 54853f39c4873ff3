package dev.raftpipe.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftpipe.codecs.raft.ConfState;
import dev.raftpipe.codecs.raft.HardState;
import dev.raftpipe.codecs.wal.RecordType;
import dev.raftpipe.codecs.wal.WalReadSummary;
import dev.raftpipe.codecs.wal.WalWriteSummary;
import dev.raftpipe.store.BackendMeta;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJsonTest {
    @Test
    void idsAreUnsignedHexOtherNumbersStayNumbersAndKeysAreSnakeCase() {
        long member = 0x8e9e05c52164694dL; // negative as a signed long
        var wal = new WalWriteSummary(Path.of("out"), List.of("0000000000000000-0000000000000000.wal"), Map.of(),
                4096, 42, new HardState(3, member, 42));
        var meta = new BackendMeta(42, 3, 17, 0, ConfState.of(List.of(member, 1L), List.of()), "3.4.0");
        JsonNode json = ReportJson.of(new PipelineReport("p.conf", List.of(
                new PipelineReport.StageReport(2, "wal-sink", wal), new PipelineReport.StageReport(3, "x", meta))));

        assertEquals("8e9e05c52164694d", json.at("/stages/2:wal-sink/hard_state/vote").asText());
        assertEquals(42, json.at("/stages/2:wal-sink/hard_state/commit").asLong());
        assertEquals(4096, json.at("/stages/2:wal-sink/bytes_written").asLong());
        assertEquals("8e9e05c52164694d", json.at("/stages/3:x/conf_state/voters/0").asText());
        assertEquals("1", json.at("/stages/3:x/conf_state/voters/1").asText());
        assertEquals(17, json.at("/stages/3:x/revision").asLong());
    }

    /** A report with optional IDs, as a replay sink's cluster ID is. */
    record WithOptionalIds(OptionalLong clusterId, OptionalLong leaseId) {
    }

    @Test
    void enumKeysAreSnakeCaseAndOptionalIdsHexOrNull() {
        var read = new WalReadSummary(List.of(), Map.of(RecordType.ENTRY, 3L), 10, Optional.empty(), Optional.empty());
        JsonNode json = ReportJson.of(new PipelineReport("p.conf", List.of(
                new PipelineReport.StageReport(1, "wal-source", read),
                new PipelineReport.StageReport(2, "ids", new WithOptionalIds(OptionalLong.of(0xa0a183d2f3bd4165L),
                        OptionalLong.empty())))));
        assertEquals(3, json.at("/stages/1:wal-source/record_counts/entry").asLong(), json.toString());
        assertEquals("a0a183d2f3bd4165", json.at("/stages/2:ids/cluster_id").asText());
        assertTrue(json.at("/stages/2:ids/lease_id").isNull());
    }
}
