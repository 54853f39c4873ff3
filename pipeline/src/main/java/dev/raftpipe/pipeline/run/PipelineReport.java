package dev.raftpipe.pipeline.run;

import dev.raftpipe.pipeline.spi.PipelineFileException;
import java.util.List;
import java.util.Optional;

/** What a pipeline's stages reported (their materialized values), in pipeline order. */
public record PipelineReport(String pipeline, List<StageReport> stages) {

    public PipelineReport {
        stages = List.copyOf(stages);
    }

    /** One stage's report; {@code position} counts from 1 at the source. */
    public record StageReport(int position, String stage, Object report) {
    }

    /** The first report of this type, if a stage gave one. */
    public <T> Optional<T> find(Class<T> type) {
        return stages.stream().map(StageReport::report).filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The first report of this type; a built-in pipeline whose stages give none was misconfigured. */
    public <T> T one(Class<T> type) {
        return find(type).orElseThrow(() -> new PipelineFileException(pipeline
                + ": no stage reported a " + type.getSimpleName() + "; was a stage of the built-in pipeline removed?"));
    }
}
