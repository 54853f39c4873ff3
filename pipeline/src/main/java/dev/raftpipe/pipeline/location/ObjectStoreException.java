package dev.raftpipe.pipeline.location;

import java.io.IOException;

/** A request to object storage that failed: one line naming the object's URL and what the store or network said. */
public final class ObjectStoreException extends IOException {
    public ObjectStoreException(ObjectUrl url, String what, Throwable cause) {
        super(url + ": " + what, cause);
    }
}
