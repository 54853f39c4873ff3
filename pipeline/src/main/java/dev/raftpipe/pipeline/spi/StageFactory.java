package dev.raftpipe.pipeline.spi;

/**
 * Makes one kind of stage from its settings in a pipeline file. Found with {@link java.util.ServiceLoader}:
 * list your class in {@code META-INF/services/dev.raftpipe.pipeline.spi.StageFactory} of a JAR and drop
 * the JAR into the plugin directory ({@code --plugins <dir>} or {@code raftpipe.plugins}).
 *
 * <pre>
 * public final class CountPuts implements StageFactory {
 *     public String name() { return "count-puts"; }
 *     public Stage create(StageSettings s) {
 *         return new Stage.FlowStage(Payload.WAL_RECORDS, Payload.WAL_RECORDS, Flow.of(WalRecord.class).map(...));
 *     }
 * }
 * </pre>
 */
public interface StageFactory {
    /** The name a pipeline file's {@code stage = ...} uses. */
    String name();

    /** Builds the stage; bad or missing settings are reported through {@link StageSettings}' getters. */
    Stage create(StageSettings settings);
}
