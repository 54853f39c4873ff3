package dev.raftpipe.pipeline.source;

import dev.raftpipe.codecs.archive.WalArchiveReader;
import dev.raftpipe.codecs.db.EtcdDb;
import dev.raftpipe.codecs.db.MemberDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** What a local source of state is, told by what it holds, never by its name. */
public enum SourceKind {
    ARCHIVE("archive"), WAL_ARCHIVE("wal-archive"), BACKEND("backend"), DATA_DIR("data-dir"), ETCD_DB("etcd-db");

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final String label;

    SourceKind(String label) {
        this.label = label;
    }

    /** How reports and messages name it. */
    public String label() {
        return label;
    }

    /** The kind of the file or directory at {@code source}. */
    public static SourceKind of(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            if (Files.isRegularFile(MemberDir.of(source).db())) {
                return DATA_DIR;
            }
            throw new NoSuchFileException(source.toString(), null, "a directory but not an etcd data dir (no member/snap/db)");
        }
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString());
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(source)) {
            head = in.readNBytes(SQLITE_HEADER.length);
        }
        if (Arrays.equals(head, SQLITE_HEADER)) {
            return BACKEND; // first: a bbolt magic is also looked for further in, where a backend's bytes are anything
        }
        if (EtcdDb.isBolt(source)) {
            return ETCD_DB;
        }
        return WalArchiveReader.isWalArchive(source) ? WAL_ARCHIVE : ARCHIVE;
    }
}
