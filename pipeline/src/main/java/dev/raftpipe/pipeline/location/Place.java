package dev.raftpipe.pipeline.location;

import java.nio.file.Path;

/**
 * Where a command reads or writes a whole file (an archive, a WAL archive, an etcd snapshot, a sidecar): a path on
 * this machine or an object in S3-compatible storage. Commands take one as they took a path; {@link Staging} gives
 * the work a local file either way.
 */
public sealed interface Place permits Place.Local, Place.Remote {

    /** How messages and reports name it: the path as given, or the {@code s3://} URL. */
    String name();

    /** {@code s3://bucket/key} is an object; anything else is a local path. */
    static Place parse(String text) {
        return ObjectUrl.is(text) ? new Remote(ObjectUrl.parse(text)) : new Local(Path.of(text));
    }

    record Local(Path path) implements Place {
        @Override
        public String name() {
            return path.toString();
        }
    }

    record Remote(ObjectUrl url) implements Place {
        @Override
        public String name() {
            return url.toString();
        }
    }
}
