package dev.raftpipe.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Keys and values in JSON lines: as text when they are UTF-8, else base64 under {@code <name>_base64}. */
public final class JsonBytes {
    private JsonBytes() {
    }

    public static void write(JsonGenerator g, String name, byte[] value) throws IOException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
            g.writeStringField(name, text);
        } catch (CharacterCodingException e) {
            g.writeStringField(name + "_base64", Base64.getEncoder().encodeToString(value));
        }
    }
}
