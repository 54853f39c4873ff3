package dev.raftpipe.codecs.etcd;

import dev.raftpipe.codecs.raft.ConfChange;
import dev.raftpipe.codecs.raft.ConfChangeV2;

/** What an entry's data means to etcd. */
public sealed interface EntryPayload {

    /** An empty normal entry: a new leader's first entry of its term. */
    record Noop() implements EntryPayload {
    }

    record ConfChangeEntry(ConfChange change) implements EntryPayload {
    }

    record ConfChangeV2Entry(ConfChangeV2 change) implements EntryPayload {
    }

    /** An etcd request; {@link DecodedRequest#encode()} gives back its bytes. */
    record Request(DecodedRequest request) implements EntryPayload {
    }
}
