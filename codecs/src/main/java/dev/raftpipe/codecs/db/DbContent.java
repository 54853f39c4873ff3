package dev.raftpipe.codecs.db;

import dev.raftpipe.codecs.bolt.BoltWriter;

import java.io.IOException;

/** What fills a new etcd db: live state ({@link EtcdDbWriter}) or a copied history ({@link HistoryCopy}). */
@FunctionalInterface
public interface DbContent {
    /** Writes every bucket and the metas; reports what was written. */
    EtcdDbWriter.Written writeTo(BoltWriter out) throws IOException;
}
