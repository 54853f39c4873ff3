package dev.raftpipe.codecs.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the archive layout: gzip around a tar of meta.json, state.bin, SHA256SUMS and, with a sealer,
 * SHA256SUMS.sealed, each mode 0600. state.bin comes from a spooled file whose size and digest are
 * known before its tar header is written.
 */
public final class ArchiveWriter {
    private ArchiveWriter() {
    }

    /**
     * @param gzipLevel 0 stores (state.bin's Avro blocks are compressed already) up to 9
     */
    public static void write(OutputStream out, ArchiveMeta meta, Path stateFile, String stateSha256,
                             Optional<Sealer> sealer, int gzipLevel) throws IOException {
        byte[] metaJson = meta.toJson();
        byte[] sums = Sha256Sums.render(Map.of(ArchiveEntries.META, Digests.hex(Digests.sha256().digest(metaJson)),
                ArchiveEntries.STATE, stateSha256));
        Date mtime = new Date(meta.createdMillis());
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(GzipLayer.output(out, gzipLevel), 512)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
            put(tar, ArchiveEntries.META, metaJson, mtime);
            TarArchiveEntry state = entry(ArchiveEntries.STATE, Files.size(stateFile), mtime);
            tar.putArchiveEntry(state);
            try (InputStream in = Files.newInputStream(stateFile)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
            put(tar, ArchiveEntries.SUMS, sums, mtime);
            if (sealer.isPresent()) {
                put(tar, ArchiveEntries.SEALED, sealer.get().seal(sums), mtime);
            }
            tar.finish();
        }
    }

    static void put(TarArchiveOutputStream tar, String name, byte[] bytes, Date mtime) throws IOException {
        tar.putArchiveEntry(entry(name, bytes.length, mtime));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A 0600 regular-file entry, as every archive entry is. */
    static TarArchiveEntry entry(String name, long size, Date mtime) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0100600);
        e.setModTime(mtime);
        return e;
    }
}
