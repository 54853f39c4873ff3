package dev.raftpipe.pipeline.spi;

import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.util.concurrent.CompletionStage;

/**
 * A stage a {@link StageFactory} made: a source, a flow or a sink, with the payloads it produces and
 * consumes, so that {@code raftpipe run} can check a pipeline before it starts. A sink's materialized
 * value is its report; a source's and a flow's may be too (any other value is ignored).
 */
public sealed interface Stage {

    record SourceStage(Payload produces, Source<?, ?> source) implements Stage {
    }

    record FlowStage(Payload consumes, Payload produces, Flow<?, ?, ?> flow) implements Stage {
    }

    record SinkStage(Payload consumes, Sink<?, ? extends CompletionStage<?>> sink) implements Stage {
    }
}
