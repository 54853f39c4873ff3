package dev.raftpipe.pipeline.location;

import dev.raftpipe.pipeline.Progress;
import dev.raftpipe.stages.ArchivePublisher;

import java.io.IOException;
import java.io.OutputStream;
import java.util.OptionalLong;

/** An archive streamed to an object: a multipart upload completed only when the seal publishes it. */
final class ObjectPublisher implements ArchivePublisher {
    private final S3Objects store;
    private final ObjectUrl url;
    private final boolean replace;
    private final boolean progress;

    ObjectPublisher(S3Objects store, ObjectUrl url, boolean replace, boolean progress) {
        this.store = store;
        this.url = url;
        this.replace = replace;
        this.progress = progress;
    }

    @Override
    public String name() {
        return url.toString();
    }

    @Override
    public Publication begin() throws IOException {
        ObjectUpload upload = store.upload(url, replace,
                Progress.ofTransfer("uploading " + url, OptionalLong.empty(), progress));
        return new Publication() {
            @Override
            public OutputStream stream() {
                return upload;
            }

            @Override
            public void publish() throws IOException {
                upload.complete();
            }

            @Override
            public void close() {
                upload.close();
            }
        };
    }

    @Override
    public void publishSidecar(byte[] json) throws IOException {
        store.put(url.withSuffix(".info.json"), json, true);
    }
}
