package dev.raftpipe.pipeline.spi;

/**
 * Makes one kind of stage from its settings in a pipeline. The public entry point for stage authors.
 *
 * <p>Factories are found with {@link java.util.ServiceLoader}: list your class in
 * {@code META-INF/services/dev.raftpipe.pipeline.spi.StageFactory} of a JAR and drop the JAR into the
 * plugin directory ({@code --plugins <dir>} or {@code raftpipe.plugins} in the configuration). A class
 * needs a public no-argument constructor. Built-in names win over a plugin's of the same name.
 *
 * <pre>
 * public final class CountPuts implements StageFactory {
 *     public String name() { return "count-puts"; }
 *     public Stage create(StageSettings s) {
 *         String prefix = s.string("prefix");             // a missing setting fails here, naming file:line
 *         return new Stage.FlowStage(Payload.WAL_RECORDS, Payload.WAL_RECORDS,
 *                 Flow.of(WalRecord.class).map(r -&gt; ...));
 *     }
 * }
 * </pre>
 *
 * <p>{@link #create} runs for every stage of a pipeline before any of them starts, so it must not do the
 * work itself: read and check settings, open nothing, and return a blueprint (Pekko's {@code Source},
 * {@code Flow} or {@code Sink}) that does its I/O when materialized, on a dispatcher of its own for
 * blocking calls ({@code raftpipe.blocking-dispatcher}). Element types are {@link Payload#type()}.
 */
public interface StageFactory {
    /** The name a pipeline's {@code stage = ...} uses: lowercase words joined by hyphens. */
    String name();

    /**
     * Builds the stage from its block of settings.
     *
     * @throws PipelineFileException for a bad or missing setting; {@link StageSettings}' getters and
     *                               {@link StageSettings#invalid} make one naming the file, line and stage
     */
    Stage create(StageSettings settings);
}
