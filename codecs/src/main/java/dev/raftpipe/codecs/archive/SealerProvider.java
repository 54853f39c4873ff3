package dev.raftpipe.codecs.archive;

/** Found with {@link java.util.ServiceLoader}: makes the sealer of one kind from the key file's bytes. */
public interface SealerProvider {
    String kind();

    Sealer create(byte[] key);
}
