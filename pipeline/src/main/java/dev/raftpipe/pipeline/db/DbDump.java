package dev.raftpipe.pipeline.db;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.raftpipe.codecs.state.StateRecord;
import dev.raftpipe.codecs.bolt.BoltEntry;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.state.KeyRevision;
import dev.raftpipe.pipeline.Streams;
import dev.raftpipe.pipeline.JsonBytes;
import dev.raftpipe.stages.BlockingIo;
import dev.raftpipe.stages.DbSource;
import dev.raftpipe.stages.DbSourceSettings;
import dev.raftpipe.stages.DbSummary;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code db dump}: a db as JSON lines. By default the live keys as etcd serves them, in key order;
 * {@code --history} every stored revision in revision order; {@code --bucket} one bucket's raw entries.
 */
public final class DbDump {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** What to print. */
    public enum View { LIVE, HISTORY, BUCKET }

    private DbDump() {
    }

    public static CompletionStage<Long> run(Path db, View view, String bucket, DbSourceSettings settings,
                                            OutputStream out, ActorSystem system) {
        Source<ByteString, CompletionStage<Long>> lines = switch (view) {
            case LIVE -> DbSource.state(db, settings)
                    .filter(r -> r instanceof StateRecord.KeyValue).map(r -> line((StateRecord.KeyValue) r))
                    .mapMaterializedValue(s -> s.thenApply(DbSummary::records));
            case HISTORY -> DbSource.history(db, settings).map(DbDump::line)
                    .mapMaterializedValue(s -> s.thenApply(DbSummary::records));
            case BUCKET -> bucket(db, bucket, settings);
        };
        return Streams.print(lines, out, system);
    }

    private static Source<ByteString, CompletionStage<Long>> bucket(Path db, String name, DbSourceSettings settings) {
        long[] count = {0};
        Source<ByteString, NotUsed> entries = Source.<ByteString, Raw>unfoldResource(
                        () -> Raw.open(db, name, settings),
                        raw -> raw.next().map(e -> {
                            count[0]++;
                            return line(e);
                        }),
                        Raw::close)
                .withAttributes(ActorAttributes.dispatcher(BlockingIo.DISPATCHER));
        return entries.watchTermination((nu, done) -> done.thenApply(d -> count[0]));
    }

    private record Raw(EtcdDb db, Iterator<BoltEntry> entries) {
        static Raw open(Path path, String name, DbSourceSettings settings) throws IOException {
            EtcdDb db = EtcdDb.open(path, settings.trailerCheck());
            return new Raw(db, db.entries(name).iterator());
        }

        Optional<BoltEntry> next() {
            return entries.hasNext() ? Optional.of(entries.next()) : Optional.empty();
        }

        void close() throws IOException {
            db.close();
        }
    }

    static ByteString line(StateRecord.KeyValue kv) {
        return json(g -> {
            JsonBytes.write(g, "key", kv.key());
            g.writeNumberField("create_revision", kv.createRevision());
            g.writeNumberField("mod_revision", kv.modRevision());
            g.writeNumberField("version", kv.version());
            g.writeNumberField("lease", kv.lease());
            JsonBytes.write(g, "value", kv.value());
        });
    }

    static ByteString line(KeyRevision r) {
        return json(g -> {
            g.writeNumberField("main", r.revision().main());
            g.writeNumberField("sub", r.revision().sub());
            if (r.tombstone()) {
                g.writeBooleanField("tombstone", true);
                JsonBytes.write(g, "key", r.kv().key());
            } else {
                JsonBytes.write(g, "key", r.kv().key());
                g.writeNumberField("create_revision", r.kv().createRevision());
                g.writeNumberField("mod_revision", r.kv().modRevision());
                g.writeNumberField("version", r.kv().version());
                g.writeNumberField("lease", r.kv().lease());
                JsonBytes.write(g, "value", r.kv().value());
            }
        });
    }

    static ByteString line(BoltEntry e) {
        return json(g -> {
            JsonBytes.write(g, "key", e.key());
            if (e.bucket()) {
                g.writeBooleanField("bucket", true);
            } else {
                JsonBytes.write(g, "value", e.value());
            }
        });
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static ByteString json(Fields fields) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.write('\n');
        return ByteString.fromArrayUnsafe(buf.toByteArray());
    }
}
