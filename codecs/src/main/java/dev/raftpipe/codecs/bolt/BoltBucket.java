package dev.raftpipe.codecs.bolt;

/**
 * A bucket's tree: either a root page in the file, or (root 0) an inline leaf page carried inside its
 * parent's value, as bbolt stores small buckets without nested buckets.
 *
 * @param name      the bucket's key in its parent (empty for the root bucket), for messages
 * @param inline    the inline page's bytes when {@code root} is 0, else {@code null}
 */
public record BoltBucket(String name, long root, long sequence, byte[] inline) {
    public boolean isInline() {
        return root == 0;
    }
}
