package dev.raftpipe.pipeline.location;

import dev.raftpipe.pipeline.Progress;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * An object written as a stream: bytes fill a part, full parts are uploaded while the next fills (at most
 * {@code parts-in-flight} at once, so memory stays bounded whatever the size), and the object appears at its key
 * only when {@link #complete()} is called, with {@code If-None-Match: *} unless it may replace one. An output that
 * fits in one part is a single conditional PutObject. Closing without completing aborts the upload: nothing is
 * left at the key, and S3 frees the parts.
 */
public final class ObjectUpload extends OutputStream {
    private final S3Objects store;
    private final ObjectUrl url;
    private final boolean replace;
    private final Progress.Transfer progress;
    private final ExecutorService uploader;
    private final Semaphore inFlight;
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private byte[] part;
    private int filled;
    private String uploadId;
    private boolean completed;
    private boolean closed;

    ObjectUpload(S3Objects store, ObjectUrl url, boolean replace, Progress.Transfer progress) {
        this.store = store;
        this.url = url;
        this.replace = replace;
        this.progress = progress;
        int n = store.settings().partsInFlight();
        this.uploader = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "raftpipe-s3-upload");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(n);
        this.part = newPart(1);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException(url + ": the upload is closed");
        }
        while (len > 0) {
            int n = Math.min(len, part.length - filled);
            System.arraycopy(b, off, part, filled, n);
            filled += n;
            off += n;
            len -= n;
            progress.add(n);
            if (filled == part.length) {
                sendPart();
            }
        }
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = store.startUpload(url);
        }
        failIfAPartFailed();
        inFlight.acquireUninterruptibly();
        int number = parts.size() + 1;
        byte[] body = part;
        int length = filled;
        String id = uploadId;
        parts.add(uploader.submit(() -> {
            try {
                // the part's own buffer, not a copy (RequestBody.fromBytes copies): the buffer is not reused
                String etag = store.client().uploadPart(r -> r.bucket(url.bucket()).key(url.key()).uploadId(id)
                        .partNumber(number).contentLength((long) length), RequestBody.fromInputStream(
                        new ByteArrayInputStream(body, 0, length), length)).eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            } finally {
                inFlight.release();
            }
        }));
        part = newPart(number + 1);
        filled = 0;
    }

    /** The buffer part {@code number} fills (a Java array's limit caps S3's 5 GiB). */
    private byte[] newPart(int number) {
        return new byte[(int) Math.min(Integer.MAX_VALUE - 8, store.settings().partBytes(number))];
    }

    private void failIfAPartFailed() throws IOException {
        for (Future<CompletedPart> f : parts) {
            if (f.isDone()) {
                awaitPart(f);
            }
        }
    }

    private CompletedPart awaitPart(Future<CompletedPart> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(url + ": interrupted while uploading");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return store.call(url, "uploading a part", () -> {
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                throw c instanceof IOException io ? io : new IOException(c);
            });
        }
    }

    /** Makes the object visible at its key: the last part, then CompleteMultipartUpload (or one PutObject). */
    public void complete() throws IOException {
        if (closed) {
            throw new IOException(url + ": the upload is closed");
        }
        if (uploadId == null) {
            store.put(url, Arrays.copyOf(part, filled), replace);
        } else {
            if (filled > 0) {
                sendPart();
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                done.add(awaitPart(f));
            }
            store.call(url, "completing the upload", () -> {
                CompleteMultipartUploadRequest.Builder r = CompleteMultipartUploadRequest.builder()
                        .bucket(url.bucket()).key(url.key()).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(done));
                if (!replace) {
                    r.ifNoneMatch("*");
                }
                try {
                    store.client().completeMultipartUpload(r.build());
                } catch (S3Exception e) {
                    throw S3Objects.refusal(url, e);
                }
                return null;
            });
        }
        completed = true;
        progress.done();
        close();
    }

    /** Aborts the upload unless it completed: nothing appears at the key. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        uploader.shutdownNow();
        part = null;
        if (!completed && uploadId != null) {
            try {
                store.client().abortMultipartUpload(r -> r.bucket(url.bucket()).key(url.key()).uploadId(uploadId));
            } catch (RuntimeException e) {
                // the store's lifecycle rule, or the next upload to this key, aborts it
            }
        }
    }
}
