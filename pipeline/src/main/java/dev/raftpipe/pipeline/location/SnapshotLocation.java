package dev.raftpipe.pipeline.location;

import dev.raftpipe.codecs.db.SnapshotTrailer;
import dev.raftpipe.stages.EndpointSettings;

import java.nio.file.Path;

/**
 * Where an etcd snapshot (a bbolt db, with or without etcdctl's SHA-256 trailer) is read from. Readers need random
 * access, so a snapshot that is not a local file is fetched into one first ({@link LocalSnapshot}); a new place to
 * read snapshots from is a new kind here and its fetch there, not a change to every command.
 */
public sealed interface SnapshotLocation permits SnapshotLocation.File, SnapshotLocation.Object, SnapshotLocation.Member {

    /** How reports and messages name it: the path, or the member's URL. */
    String name();

    /** The kind of source reports and meta.json record: {@code etcd-snapshot} or {@code endpoint}. */
    String kind();

    /** An etcdctl snapshot save file or a plain db on this machine. */
    record File(Path path, SnapshotTrailer.Check trailer) implements SnapshotLocation {
        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public String kind() {
            return "etcd-snapshot";
        }
    }

    /** An etcdctl snapshot save file kept in S3-compatible storage. */
    record Object(ObjectUrl url, SnapshotTrailer.Check trailer) implements SnapshotLocation {
        @Override
        public String name() {
            return url.toString();
        }

        @Override
        public String kind() {
            return "etcd-snapshot";
        }
    }

    /** A running member's snapshot, streamed over etcd's Maintenance API (its trailer always checked). */
    record Member(EndpointSettings endpoint) implements SnapshotLocation {
        @Override
        public String name() {
            return endpoint.endpoint().toString();
        }

        @Override
        public String kind() {
            return "endpoint";
        }
    }
}
