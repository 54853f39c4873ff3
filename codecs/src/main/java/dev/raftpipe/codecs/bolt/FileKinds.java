package dev.raftpipe.codecs.bolt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a file without bbolt's magic looks like, from its first bytes and its name, when it is a kind raftpipe knows;
 * anything else is left to be called a damaged db.
 */
final class FileKinds {
    private FileKinds() {
    }

    static Optional<String> recognise(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        String name = file.getFileName().toString();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Optional.of("it is gzip data, as raftpipe's archives are (read one with raftpipe inspect or verify)");
        }
        // a WAL segment opens with an 8-byte length word, then a walpb.Record whose field 1 (type) is crcType (4)
        if (name.endsWith(".wal") || head.length >= 10 && head[8] == 0x08 && head[9] == 0x04) {
            return Optional.of("it looks like a WAL segment (read its directory with raftpipe wal inspect)");
        }
        if (name.endsWith(".snap")) {
            return Optional.of("it looks like an etcd .snap file of member/snap, which holds the v2 store; the db is "
                    + "member/snap/db");
        }
        return Optional.empty();
    }
}
