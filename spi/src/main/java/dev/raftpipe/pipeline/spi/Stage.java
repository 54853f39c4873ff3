package dev.raftpipe.pipeline.spi;

import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A stage a {@link StageFactory} made: a source, a flow or a sink, with the payloads it produces and
 * consumes, so that {@code raftpipe run} can check a pipeline before it starts. The element types must
 * be the payloads' {@link Payload#type() types}.
 *
 * <p>Materialized values are reports: a sink's must be a {@link CompletionStage} that completes when the
 * sink has finished its work (its value, if not {@code Done}, is reported as JSON); a source's or a
 * flow's is reported too when it is a {@code CompletionStage} of something other than {@code Done}; a stage
 * with nothing to report ({@code Done}, {@code NotUsed}) is listed with an empty object. A failed stream fails the
 * whole run.
 */
public sealed interface Stage {

    /**
     * The first stage of a pipeline.
     *
     * @param size how much the source will emit, for the progress line's ETA, asked only when progress is
     *             shown; empty when not known. Counted in progress units of the payload: records of
     *             {@link Payload#STATE_RECORDS}, bytes of WAL for {@link Payload#WAL_RECORDS}.
     */
    record SourceStage(Payload produces, Source<?, ?> source, Supplier<OptionalLong> size) implements Stage {
        public SourceStage(Payload produces, Source<?, ?> source) {
            this(produces, source, OptionalLong::empty);
        }
    }

    /** A stage between the source and the sinks: a rewrite, a filter, a counter… */
    record FlowStage(Payload consumes, Payload produces, Flow<?, ?, ?> flow) implements Stage {
    }

    /** A pipeline's end. With several sinks every element goes to each of them, at the slowest one's pace. */
    record SinkStage(Payload consumes, Sink<?, ? extends CompletionStage<?>> sink) implements Stage {
    }
}
