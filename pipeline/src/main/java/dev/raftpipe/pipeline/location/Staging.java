package dev.raftpipe.pipeline.location;

import com.typesafe.config.Config;
import dev.raftpipe.codecs.io.FileTrees;
import dev.raftpipe.codecs.io.PrivateFiles;
import dev.raftpipe.codecs.io.StagedNames;
import dev.raftpipe.codecs.io.TempOutput;
import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.stages.ArchivePublisher;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Local files for the {@link Place}s one command reads and writes. A local place is its own path. An object that is
 * read is copied into a private directory ({@code raftpipe-s3.tmp-…} in {@code staging-dir}, 0700, removed on close,
 * and by the next run when a killed one left it) when the work needs a file (a bbolt db is read at
 * random, an archive twice); an object that is written is refused first when it exists (unless it may be replaced),
 * built in that directory, and uploaded by {@link #publish} with its {@code .info.json} sidecar, appearing at its
 * key only when complete.
 */
public final class Staging implements AutoCloseable {
    private final Supplier<S3Settings> settingsOf;
    private final boolean progress;
    private S3Settings settings;
    private S3Objects store;
    private Path dir;
    private final List<Path> staged = new ArrayList<>();

    private Staging(Supplier<S3Settings> settingsOf, boolean progress) {
        this.settingsOf = settingsOf;
        this.progress = progress;
    }

    /**
     * Staging for one command; the S3 settings are read only when a place is an object. With {@code progress}, a
     * line on stderr counts the bytes of each transfer.
     */
    public static Staging create(Config config, boolean progress) {
        return new Staging(() -> S3Settings.create(config), progress);
    }

    public static Staging of(S3Settings settings, boolean progress) {
        return new Staging(() -> settings, progress);
    }

    private synchronized S3Settings settings() {
        if (settings == null) {
            settings = settingsOf.get();
        }
        return settings;
    }

    /** The store, opened on first use: a command on local files never builds an S3 client. */
    public synchronized S3Objects store() {
        if (store == null) {
            store = S3Objects.open(settings());
        }
        return store;
    }

    /**
     * A local file holding what {@code place} holds. An object's {@code .info.json} sidecar comes with it when there
     * is one, so that an archive's is checked as a local archive's is.
     */
    public Path read(Place place) throws IOException {
        if (place instanceof Place.Local local) {
            return local.path();
        }
        ObjectUrl url = ((Place.Remote) place).url();
        Path copy = copy(url, newPath(url));
        Path sidecar = copy.resolveSibling(copy.getFileName() + ".info.json");
        try {
            copy(url.withSuffix(".info.json"), sidecar);
        } catch (NoSuchFileException e) {
            Files.deleteIfExists(sidecar); // none: nothing to check
        }
        return copy;
    }

    private Path copy(ObjectUrl url, Path copy) throws IOException {
        try (OutputStream out = PrivateFiles.newOutputStream(copy)) {
            Progress.Transfer[] shown = {Progress.Transfer.NONE};
            store().copyTo(url, size -> {
                shown[0] = Progress.ofTransfer("downloading " + url,
                        size < 0 ? OptionalLong.empty() : OptionalLong.of(size), progress);
                return new CountingOutputStream(out, shown[0]);
            });
            shown[0].done();
        }
        return copy;
    }

    /**
     * Where the work writes what will be published at {@code place}: its own path, or a fresh path in the private
     * directory after checking that nothing is at the key ({@code replace}: that may be).
     */
    public Path write(Place place, boolean replace) throws IOException {
        if (place instanceof Place.Local local) {
            return local.path();
        }
        ObjectUrl url = ((Place.Remote) place).url();
        if (!replace) {
            store().refuseExisting(url, "already exists; raftpipe never replaces an object (--force to replace it)");
        }
        return newPath(url);
    }

    /**
     * Where a seal streams its archive for {@code place}: an object's upload (nothing is staged then), or nothing for
     * a local place, which the seal renames its archive onto.
     */
    public Optional<ArchivePublisher> publisher(Place place, boolean replace) {
        return place instanceof Place.Remote remote
                ? Optional.of(new ObjectPublisher(store(), remote.url(), replace, progress)) : Optional.empty();
    }

    /**
     * Uploads what the work wrote at {@code local} (from {@link #write}) to {@code place}, then its sidecar
     * {@code <local>.info.json} when the work wrote one; nothing to do for a local place.
     */
    public void publish(Place place, Path local, boolean replace) throws IOException {
        if (!(place instanceof Place.Remote remote)) {
            return;
        }
        upload(local, remote.url(), replace);
        Path sidecar = local.resolveSibling(local.getFileName() + ".info.json");
        if (Files.isRegularFile(sidecar)) {
            store().put(remote.url().withSuffix(".info.json"), Files.readAllBytes(sidecar), true);
        }
    }

    private void upload(Path local, ObjectUrl url, boolean replace) throws IOException {
        try (ObjectUpload upload = store().upload(url, replace, Progress.ofTransfer("uploading " + url,
                OptionalLong.of(Files.size(local)), progress)); InputStream in = Files.newInputStream(local)) {
            in.transferTo(upload);
            upload.complete();
        }
    }

    private synchronized Path newPath(ObjectUrl url) throws IOException {
        if (dir == null) {
            PrivateFiles.createDirectories(settings().stagingDir());
            // named as a temporary output: the next run removes what a killed one left
            dir = PrivateFiles.createDirectory(TempOutput.beside(settings().stagingDir().resolve("raftpipe-s3")));
        }
        Path path = dir.resolve(staged.size() + "-" + url.fileName());
        staged.add(path);
        StagedNames.register(path, url.toString());
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (dir != null) {
                FileTrees.delete(dir);
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    /** Bytes on their way into a copy, counted for the progress line. */
    private static final class CountingOutputStream extends FilterOutputStream {
        private final Progress.Transfer progress;

        CountingOutputStream(OutputStream out, Progress.Transfer progress) {
            super(out);
            this.progress = progress;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            progress.add(len);
        }
    }
}
