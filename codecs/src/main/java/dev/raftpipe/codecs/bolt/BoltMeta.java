package dev.raftpipe.codecs.bolt;

/**
 * One of bbolt's two meta pages: the root bucket, the high-water mark and the transaction id.
 *
 * @param page      0 or 1, where it was read
 * @param freelist  page id of the freelist, {@link #NO_FREELIST} when the writer did not sync it (etcd)
 * @param highWater bbolt's {@code pgid}: the first page id past the pages in use
 */
public record BoltMeta(int page, int pageSize, int flags, long rootPage, long rootSequence, long freelist,
                       long highWater, long txid) {
    public static final int MAGIC = 0xED0CDAED;
    public static final int VERSION = 2;
    public static final long NO_FREELIST = 0xFFFFFFFFFFFFFFFFL;
}
