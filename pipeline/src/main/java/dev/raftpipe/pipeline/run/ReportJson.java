package dev.raftpipe.pipeline.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.raftpipe.codecs.raft.NodeIds;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A pipeline's report as JSON: every stage's report record as it is, with snake_case keys like every other
 * {@code --json} of raftpipe's (enum constants too, as keys and as values), and member, cluster and lease IDs
 * written as etcd prints them (unsigned lowercase hex), not as signed decimals. A stage that reports nothing (its
 * value is {@code Done} or {@code NotUsed}) is listed with an empty object: every stage that ran is there.
 */
public final class ReportJson {
    /** Keys holding IDs (besides {@code id} and any {@code ..._id}): HardState.vote, ConfState's lists, a key's lease. */
    private static final Set<String> ID_NAMES = Set.of("vote", "lease", "voters", "learners", "voters_outgoing",
            "learners_next");

    private ReportJson() {
    }

    public static ObjectNode of(PipelineReport report) {
        ObjectMapper mapper = mapper();
        ObjectNode out = mapper.createObjectNode();
        out.put("pipeline", report.pipeline());
        ObjectNode stages = out.putObject("stages");
        for (PipelineReport.StageReport s : report.stages()) {
            stages.set(s.position() + ":" + s.stage(), mapper.valueToTree(s.report()));
        }
        return out;
    }

    static ObjectMapper mapper() {
        SimpleModule ids = new SimpleModule("raftpipe-ids");
        ids.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                                                             List<BeanPropertyWriter> properties) {
                for (BeanPropertyWriter p : properties) {
                    if (isId(p.getName())) {
                        JavaType t = p.getType();
                        if (t.getRawClass() == long.class || t.getRawClass() == Long.class) {
                            p.assignSerializer(HEX);
                        } else if (t.getRawClass() == OptionalLong.class) {
                            p.assignSerializer(HEX_OPTIONAL);
                        } else if (t.isCollectionLikeType() && t.getContentType().getRawClass() == Long.class) {
                            p.assignSerializer(HEX_LIST);
                        }
                    }
                }
                return properties;
            }
        });
        ids.addKeySerializer(Enum.class, ENUM_KEY);
        ids.addSerializer(Enum.class, ENUM_VALUE);
        return new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule())
                .registerModule(ids).setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private static boolean isId(String name) {
        return name.equals("id") || name.endsWith("_id") || ID_NAMES.contains(name);
    }

    private static final JsonSerializer<Object> HEX = new JsonSerializer<>() {
        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(NodeIds.hex((Long) value));
        }
    };

    private static final JsonSerializer<Object> HEX_OPTIONAL = new JsonSerializer<>() {
        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            OptionalLong id = (OptionalLong) value;
            if (id.isPresent()) {
                gen.writeString(NodeIds.hex(id.getAsLong()));
            } else {
                gen.writeNull();
            }
        }
    };

    @SuppressWarnings("rawtypes")
    private static final JsonSerializer<Enum> ENUM_KEY = new JsonSerializer<>() {
        @Override
        public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeFieldName(snake(value));
        }
    };

    @SuppressWarnings("rawtypes")
    private static final JsonSerializer<Enum> ENUM_VALUE = new JsonSerializer<>() {
        @Override
        public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(snake(value));
        }
    };

    @SuppressWarnings("rawtypes")
    private static String snake(Enum value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static final JsonSerializer<Object> HEX_LIST = new JsonSerializer<>() {
        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray();
            for (Object id : (Iterable<?>) value) {
                gen.writeString(NodeIds.hex((Long) id));
            }
            gen.writeEndArray();
        }
    };
}
